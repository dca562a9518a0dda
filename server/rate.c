/* truce serve: the per-token rate limit, a token bucket for each token
 * number.  A bucket holds at most `burst` requests and fills at `per_second`;
 * a request takes one, or is refused with the whole seconds until one is
 * there.  Buckets are made on a token's first request and kept (there are
 * as many as tokens in the store); one lock guards them all, held only for
 * the arithmetic. */
#include <math.h>
#include <stdlib.h>

#include "server_impl.h"

#define RATE_SLOTS 256

typedef struct bucket {
    long long id;
    double level; /* requests available */
    double at;    /* when level was last brought up to date */
    struct bucket *next;
} bucket;

struct srv_rate {
    double per_second;
    double burst;
    pthread_mutex_t lock;
    bucket *slot[RATE_SLOTS];
};

srv_rate *srv_rate_new(double per_second, unsigned burst)
{
    srv_rate *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    rl->per_second = per_second;
    rl->burst = burst ? burst : 1;
    pthread_mutex_init(&rl->lock, NULL);
    return rl;
}

void srv_rate_free(srv_rate *rl)
{
    if (!rl)
        return;
    for (size_t i = 0; i < RATE_SLOTS; i++) {
        bucket *b = rl->slot[i];
        while (b) {
            bucket *next = b->next;
            free(b);
            b = next;
        }
    }
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

unsigned srv_rate_take(srv_rate *rl, long long id, double now)
{
    unsigned wait = 0;
    pthread_mutex_lock(&rl->lock);
    bucket **head = &rl->slot[(unsigned long long)id % RATE_SLOTS];
    bucket *b = *head;
    while (b && b->id != id)
        b = b->next;
    if (!b && (b = malloc(sizeof *b)) != NULL) {
        b->id = id;
        b->level = rl->burst;
        b->at = now;
        b->next = *head;
        *head = b;
    }
    if (b) {
        if (now > b->at) {
            b->level = fmin(rl->burst, b->level + (now - b->at) * rl->per_second);
            b->at = now;
        }
        if (b->level >= 1)
            b->level -= 1;
        else
            wait = (unsigned)ceil((1 - b->level) / rl->per_second);
    }
    /* Out of memory for a new bucket: the request is let through rather
     * than refused for a reason that is not the client's. */
    pthread_mutex_unlock(&rl->lock);
    return wait;
}
