/* Replays a fuzz target's corpus: runs LLVMFuzzerTestOneInput on every file
 * in the directories (or files) named on the command line.  Built in every
 * configuration so that `make test` exercises all past findings.
 *
 * The inputs run in a child process, one after another; when it dies (a
 * broken promise, a sanitizer's report) the input it was running is named
 * and a new child goes on with the next, so every failing input is listed,
 * not only the first.  One process per input would do the same, but under
 * ASan each exit costs a leak check (about 40 ms), a minute per corpus. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            }
            buf = b;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "replay: %s: out of memory\n", path);
        return 1;
    }
    /* Copy into an exact-size allocation so ASan catches reads past the end. */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return 1;
    }
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

/* Run paths[from, n) in a child that writes each input's index to `fd`
 * before running it (and n once all have run), so that the parent knows
 * where it stopped.  Returns the index after the last input it finished:
 * n when it got through them all; *failed grows by the inputs that failed. */
static size_t run_from(char **paths, size_t from, size_t n, int *failed)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, "replay: pipe: %s\n", strerror(errno));
        exit(1);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "replay: fork: %s\n", strerror(errno));
        exit(1);
    }
    if (pid == 0) {
        close(fds[0]);
        int unreadable = 0;
        for (size_t i = from; i <= n; i++) {
            if (write(fds[1], &i, sizeof i) != (ssize_t)sizeof i)
                _exit(1);
            if (i < n)
                unreadable += run_file(paths[i]);
        }
        /* exit, not _exit: LeakSanitizer checks at exit. */
        exit(unreadable ? 2 : 0);
    }
    close(fds[1]);
    size_t at = from, i;
    int started = 0;
    while (read(fds[0], &i, sizeof i) == (ssize_t)sizeof i) {
        at = i;
        started = 1;
    }
    close(fds[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "replay: waitpid: %s\n", strerror(errno));
            exit(1);
        }
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return n;
    char how[40];
    if (WIFSIGNALED(st))
        snprintf(how, sizeof how, "signal %d", WTERMSIG(st));
    else
        snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(st));
    if (!started || at == n) {
        /* After the last input: unreadable files (named above) or a leak. */
        fprintf(stderr, "replay: FAILED after the inputs (%s)\n", how);
        (*failed)++;
        return n;
    }
    fprintf(stderr, "replay: FAILED on %s (%s)\n", paths[at], how);
    (*failed)++;
    return at + 1;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Append a copy of `path` to *paths. */
static void add_path(char ***paths, size_t *n, size_t *cap, const char *path)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        char **p = realloc(*paths, *cap * sizeof *p);
        if (!p) {
            fprintf(stderr, "replay: out of memory\n");
            exit(1);
        }
        *paths = p;
    }
    size_t len = strlen(path) + 1;
    if (!((*paths)[*n] = malloc(len))) {
        fprintf(stderr, "replay: out of memory\n");
        exit(1);
    }
    memcpy((*paths)[(*n)++], path, len);
}

int main(int argc, char **argv)
{
    char **paths = NULL;
    size_t n = 0, cap = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            add_path(&paths, &n, &cap, argv[i]);
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        size_t first = n;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            add_path(&paths, &n, &cap, path);
        }
        closedir(d);
        qsort(paths + first, n - first, sizeof *paths, cmp);
    }
    if (n == 0) {
        fprintf(stderr, "replay: empty corpus\n");
        return 1;
    }
    int failed = 0;
    for (size_t from = 0; from < n;)
        from = run_from(paths, from, n, &failed);
    printf("replay: %zu inputs, %d failed\n", n, failed);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return failed ? 1 : 0;
}
