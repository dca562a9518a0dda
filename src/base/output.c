/* Output files written atomically: a temporary file beside the target,
 * renamed onto it when complete (output.h).
 *
 * The stream is a stdio stream over our own write function (fopencookie) so
 * that the reason of the first failed write is kept: stdio keeps only an
 * error flag, and errno is long overwritten by the time the caller commits. */
#define _GNU_SOURCE
#include "truce/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

#include "base/alloc.h"
#include "base/util.h"

/* Links followed before giving up, as the kernel's limit for a path. */
#define MAX_LINKS 40
/* Bytes of the target's name kept in the temporary file's name, so that the
 * latter stays within NAME_MAX (255) with its dot and suffix. */
#define TMP_BASE_MAX 200
/* Names tried before giving up when every one exists already. */
#define TMP_TRIES 100

struct truce_output {
    FILE *f;      /* the stream handed out; writes go to fd */
    int fd;       /* the temporary file, or the target when in place */
    int sync;     /* a regular file: fsync applies */
    int error;    /* errno of the first failed write, 0 if none */
    char *target; /* the final name the temporary file is renamed onto */
    char *tmp;    /* our temporary file; NULL when writing in place */
};

static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
    truce_output *o = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(o->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            /* what was written, as stdio's own file writes answer: glibc
             * miscounts a -1 from a cookie in a large fwrite */
            if (!o->error)
                o->error = w < 0 ? errno : EIO;
            return (ssize_t)done;
        }
        done += (size_t)w;
    }
    return (ssize_t)n;
}

/* A new string: the directory part of `path` ("." when it has none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return truce_strdup(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = trc_malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

/* Whether the link `path` lives on procfs: /proc/self/fd/N and the like
 * (reached from /dev/stdout or /dev/fd/N) name an open file, not a place in
 * a directory, and what they read as may not be a path at all. */
static int on_procfs(const char *path)
{
#ifdef __linux__
    char *dir = dir_of(path);
    struct statfs sf;
    int proc = dir && statfs(dir, &sf) == 0 && sf.f_type == 0x9fa0; /* PROC_SUPER_MAGIC */
    trc_free(dir);
    return proc;
#else
    (void)path;
    return 0;
#endif
}

/* A new string: the contents of the link `path`, resolved against its
 * directory when relative.  NULL with errno set on failure. */
static char *follow(const char *path)
{
    size_t cap = 256;
    char *buf = NULL;
    for (;;) {
        char *b = trc_realloc(buf, cap);
        if (!b) {
            trc_free(buf);
            return NULL;
        }
        buf = b;
        ssize_t n = readlink(path, buf, cap);
        if (n < 0) {
            trc_free(buf);
            return NULL;
        }
        if ((size_t)n < cap) {
            buf[n] = '\0';
            break;
        }
        cap *= 2;
    }
    if (buf[0] == '/')
        return buf;
    char *dir = dir_of(path);
    char *p = dir ? trc_malloc(strlen(dir) + strlen(buf) + 2) : NULL;
    if (p)
        sprintf(p, "%s/%s", dir, buf);
    trc_free(dir);
    trc_free(buf);
    if (!p)
        errno = ENOMEM;
    return p;
}

/* A new string: `path` with every symbolic link in its last component
 * followed, the name a rename must replace; it may not exist (a new file, a
 * dangling link).  *alias is set when a link is on procfs (the path then is
 * to be written in place).  NULL with errno set on failure. */
static char *resolve(const char *path, int *alias)
{
    char *p = truce_strdup(path);
    for (int links = 0; p; links++) {
        struct stat st;
        if (lstat(p, &st) != 0) {
            if (errno == ENOENT)
                return p;
            break;
        }
        if (!S_ISLNK(st.st_mode))
            return p;
        if (on_procfs(p)) {
            *alias = 1;
            return p;
        }
        if (links == MAX_LINKS) {
            errno = ELOOP;
            break;
        }
        char *next = follow(p);
        trc_free(p);
        p = next;
    }
    int e = errno;
    trc_free(p);
    errno = e;
    return NULL;
}

/* Create our temporary file beside `target` with permission bits `mode`
 * (before the umask): o->tmp and o->fd.  0, or -1 with errno set. */
static int make_tmp(truce_output *o, const char *target, mode_t mode)
{
    char *dir = dir_of(target);
    if (!dir)
        return -1;
    const char *base = strrchr(target, '/');
    base = base ? base + 1 : target;
    size_t blen = strlen(base) < TMP_BASE_MAX ? strlen(base) : TMP_BASE_MAX;
    size_t size = strlen(dir) + blen + sizeof "/..truce-XXXXXX";
    o->tmp = trc_malloc(size);
    if (!o->tmp) {
        trc_free(dir);
        return -1;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 20) ^
                 (uint64_t)(uintptr_t)o;
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int rc = -1;
    for (int i = 0; i < TMP_TRIES; i++) {
        /* splitmix64: names need only differ, O_EXCL makes them ours */
        x += 0x9e3779b97f4a7c15u;
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        z ^= z >> 31;
        char suffix[7];
        for (int k = 0; k < 6; k++, z /= 62)
            suffix[k] = letters[z % 62];
        suffix[6] = '\0';
        snprintf(o->tmp, size, "%s/.%.*s.truce-%s", dir, (int)blen, base, suffix);
        o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (o->fd >= 0) {
            rc = 0;
            break;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    trc_free(dir);
    if (rc) {
        trc_free(o->tmp);
        o->tmp = NULL;
    }
    errno = e;
    return rc;
}

/* Give the new file at o->fd the owner and permission bits of the file it
 * replaces.  0, or -1 with errno set. */
static int keep_attributes(const truce_output *o, const struct stat *old)
{
    if (old->st_uid != geteuid() || old->st_gid != getegid()) {
        if (fchown(o->fd, old->st_uid, old->st_gid) != 0) {
            /* not ours to give away: the new file is the caller's */
        }
    }
    return fchmod(o->fd, old->st_mode & 0777);
}

static void release(truce_output *o)
{
    int e = errno;
    if (o->f)
        fclose(o->f);
    if (o->fd >= 0)
        close(o->fd);
    if (o->tmp)
        unlink(o->tmp);
    trc_free(o->tmp);
    trc_free(o->target);
    trc_free(o);
    errno = e;
}

truce_status truce_output_open(const char *path, truce_output **out)
{
    if (!out)
        return TRUCE_E_ARG;
    *out = NULL;
    if (!path || !*path)
        return TRUCE_E_ARG;
    truce_output *o = trc_calloc(1, sizeof *o);
    if (!o)
        return TRUCE_E_NOMEM;
    o->fd = -1;
    int alias = 0, in_place = 0;
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            goto io;
        }
        in_place = !S_ISREG(st.st_mode);
    } else if (errno != ENOENT) {
        goto io;
    } else {
        st.st_mode = 0;
    }
    if (!in_place) {
        if (!(o->target = resolve(path, &alias)))
            goto fail;
        in_place = alias;
    }
    if (in_place) {
        /* An open file of ours goes on where the shell left it: emptied by
         * `>`, at its end with `>>`; truncation means nothing to the rest. */
        o->fd = open(path, O_WRONLY | (alias ? O_APPEND : O_TRUNC) | O_CLOEXEC | O_NOCTTY);
        if (o->fd < 0)
            goto io;
    } else if (S_ISREG(st.st_mode)) {
        /* replacing a file the caller could not write would bypass its
         * permissions: refuse as opening it would */
        if (access(o->target, W_OK) != 0 || make_tmp(o, o->target, 0600) != 0 ||
            keep_attributes(o, &st) != 0)
            goto fail;
    } else if (make_tmp(o, o->target, 0666) != 0) {
        goto fail;
    }
    struct stat now;
    if (fstat(o->fd, &now) != 0)
        goto io;
    o->sync = S_ISREG(now.st_mode);
    cookie_io_functions_t fns = {NULL, cookie_write, NULL, NULL};
    if (!(o->f = fopencookie(o, "w", fns)))
        goto fail;
    *out = o;
    return TRUCE_OK;
fail:
    if (errno == ENOMEM) {
        release(o);
        return TRUCE_E_NOMEM;
    }
io:
    release(o);
    return TRUCE_E_IO;
}

FILE *truce_output_stream(const truce_output *out)
{
    return out ? out->f : NULL;
}

/* fsync the directory holding `path`, so that a rename in it is on the
 * disk.  A file system that cannot sync a directory (EINVAL) is taken as
 * having nothing to sync.  0, or -1 with errno set. */
static int sync_dir(const char *path)
{
    char *dir = dir_of(path);
    if (!dir)
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    trc_free(dir);
    if (fd < 0)
        return -1;
    int rc = fsync(fd) != 0 && errno != EINVAL ? -1 : 0;
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

truce_status truce_output_commit(truce_output *o)
{
    if (!o)
        return TRUCE_E_ARG;
    int err = 0;
    if (fflush(o->f) != 0 || ferror(o->f) || o->error)
        err = o->error ? o->error : EIO;
    if (fclose(o->f) != 0 && !err)
        err = o->error ? o->error : EIO;
    o->f = NULL;
    if (!err && o->sync && fsync(o->fd) != 0)
        err = errno;
    if (close(o->fd) != 0 && !err)
        err = errno;
    o->fd = -1;
    if (!err && o->tmp) {
        if (rename(o->tmp, o->target) != 0) {
            err = errno;
        } else {
            trc_free(o->tmp);
            o->tmp = NULL;
            if (sync_dir(o->target) != 0)
                err = errno;
        }
    }
    errno = err;
    release(o);
    return err == ENOMEM ? TRUCE_E_NOMEM : err ? TRUCE_E_IO : TRUCE_OK;
}

void truce_output_abort(truce_output *out)
{
    if (!out)
        return;
    int e = out->error ? out->error : errno;
    release(out);
    errno = e;
}
