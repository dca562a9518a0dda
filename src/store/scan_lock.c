/* Which of a backend's scan connections a scan takes (store_impl.h). */
#include "store/store_impl.h"

size_t trc_store_lock_one(pthread_mutex_t *first, size_t stride, size_t n, unsigned *next)
{
    char *at = (char *)first;
    for (size_t i = 0; i < n; i++)
        if (!pthread_mutex_trylock((pthread_mutex_t *)(void *)(at + i * stride)))
            return i;
    size_t i = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED) % n;
    pthread_mutex_lock((pthread_mutex_t *)(void *)(at + i * stride));
    return i;
}
