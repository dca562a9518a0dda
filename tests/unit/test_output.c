/* Atomic output files (output.h): the target changes only on commit, and
 * then at once; an abort or a failed write leaves it as it was; links stay
 * links, devices stay devices, the mode of a replaced file is kept, and no
 * temporary file is left in any case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "truce/output.h"

static char dir[] = "/tmp/truce-output-XXXXXX";

static int setup(void **state)
{
    (void)state;
    umask(022);
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* A new path in the scratch directory (static buffer, one of four). */
static const char *at(const char *name)
{
    static char buf[4][128];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The whole of a file, in a static buffer. */
static const char *slurp(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The names in the scratch directory that are temporary files. */
static int temporaries(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strstr(e->d_name, ".truce-") != NULL;
    closedir(d);
    return n;
}

static void write_all(const char *path, const char *text)
{
    truce_output *o;
    assert_int_equal(truce_output_open(path, &o), TRUCE_OK);
    fputs(text, truce_output_stream(o));
    assert_int_equal(truce_output_commit(o), TRUCE_OK);
}

static void test_new_file(void **state)
{
    (void)state;
    const char *p = at("new.txt");
    truce_output *o;
    assert_int_equal(truce_output_open(p, &o), TRUCE_OK);
    fputs("hello\n", truce_output_stream(o));
    fflush(truce_output_stream(o));
    assert_int_equal(access(p, F_OK), -1); /* nothing there before commit */
    assert_int_equal(temporaries(), 1);
    assert_int_equal(truce_output_commit(o), TRUCE_OK);
    assert_string_equal(slurp(p), "hello\n");
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644); /* 0666 less the umask */
    assert_int_equal(temporaries(), 0);
}

static void test_replace_keeps_mode(void **state)
{
    (void)state;
    const char *p = at("old.txt");
    put(p, "old\n");
    assert_int_equal(chmod(p, 0640), 0);
    truce_output *o;
    assert_int_equal(truce_output_open(p, &o), TRUCE_OK);
    fputs("new\n", truce_output_stream(o));
    fflush(truce_output_stream(o));
    assert_string_equal(slurp(p), "old\n"); /* the old content until commit */
    assert_int_equal(truce_output_commit(o), TRUCE_OK);
    assert_string_equal(slurp(p), "new\n");
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(temporaries(), 0);
}

static void test_abort(void **state)
{
    (void)state;
    const char *p = at("kept.txt");
    put(p, "kept\n");
    truce_output *o;
    assert_int_equal(truce_output_open(p, &o), TRUCE_OK);
    fputs("half a", truce_output_stream(o));
    errno = EDOM;
    truce_output_abort(o);
    assert_int_equal(errno, EDOM); /* no write failed: errno as it was */
    assert_string_equal(slurp(p), "kept\n");
    assert_int_equal(temporaries(), 0);
    /* an abort of a new file creates nothing */
    assert_int_equal(truce_output_open(at("never.txt"), &o), TRUCE_OK);
    truce_output_abort(o);
    assert_int_equal(access(at("never.txt"), F_OK), -1);
    assert_int_equal(temporaries(), 0);
    truce_output_abort(NULL);
}

static void test_symlinks(void **state)
{
    (void)state;
    /* a link, and a link to a link: the final file is replaced */
    put(at("real.txt"), "old\n");
    assert_int_equal(symlink("real.txt", at("link1")), 0);
    assert_int_equal(symlink(at("link1"), at("link2")), 0);
    write_all(at("link2"), "through\n");
    struct stat st;
    assert_int_equal(lstat(at("link1"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(at("link2"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(slurp(at("real.txt")), "through\n");
    /* a dangling link creates the file it names */
    assert_int_equal(mkdir(at("sub"), 0755), 0);
    assert_int_equal(symlink("sub/made.txt", at("dangling")), 0);
    write_all(at("dangling"), "made\n");
    assert_int_equal(lstat(at("dangling"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(slurp(at("sub/made.txt")), "made\n");
    /* a loop */
    assert_int_equal(symlink("loop2", at("loop1")), 0);
    assert_int_equal(symlink("loop1", at("loop2")), 0);
    truce_output *o = (truce_output *)1;
    assert_int_equal(truce_output_open(at("loop1"), &o), TRUCE_E_IO);
    assert_int_equal(errno, ELOOP);
    assert_null(o);
    assert_int_equal(temporaries(), 0);
}

static void test_refused(void **state)
{
    (void)state;
    truce_output *o;
    assert_int_equal(truce_output_open(dir, &o), TRUCE_E_IO);
    assert_int_equal(errno, EISDIR);
    assert_int_equal(truce_output_open(at("no/such/dir.txt"), &o), TRUCE_E_IO);
    assert_int_equal(errno, ENOENT);
    put(at("plain"), "plain\n");
    assert_int_equal(truce_output_open(at("plain/x"), &o), TRUCE_E_IO);
    assert_int_equal(errno, ENOTDIR);
    assert_string_equal(slurp(at("plain")), "plain\n");
    assert_int_equal(truce_output_open(NULL, &o), TRUCE_E_ARG);
    assert_int_equal(truce_output_open("", &o), TRUCE_E_ARG);
    assert_int_equal(truce_output_open(at("x"), NULL), TRUCE_E_ARG);
    assert_int_equal(truce_output_commit(NULL), TRUCE_E_ARG);
    assert_null(truce_output_stream(NULL));
    assert_int_equal(temporaries(), 0);
}

/* Devices are written in place and stay devices, through a link too. */
static void test_devices(void **state)
{
    (void)state;
    write_all("/dev/null", "nothing\n");
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    if (stat("/dev/full", &st) != 0)
        return;
    assert_int_equal(symlink("/dev/full", at("full")), 0);
    truce_output *o;
    assert_int_equal(truce_output_open(at("full"), &o), TRUCE_OK);
    fputs("no room\n", truce_output_stream(o));
    assert_int_equal(truce_output_commit(o), TRUCE_E_IO);
    assert_int_equal(errno, ENOSPC);
    assert_int_equal(lstat(at("full"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat("/dev/full", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    /* a write that fails before the end: abort says why */
    assert_int_equal(truce_output_open("/dev/full", &o), TRUCE_OK);
    static char big[1 << 16];
    fwrite(big, 1, sizeof big, truce_output_stream(o));
    assert_true(ferror(truce_output_stream(o)));
    truce_output_abort(o);
    assert_int_equal(errno, ENOSPC);
    assert_int_equal(temporaries(), 0);
}

/* A write that fails in the middle of a regular file (here the file size
 * limit, EFBIG: the same path as a full disk) leaves the target as it was
 * and removes the temporary file. */
static void test_failed_write(void **state)
{
    (void)state;
    const char *p = at("limited.txt");
    put(p, "before\n");
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 4096;
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    truce_output *o;
    assert_int_equal(truce_output_open(p, &o), TRUCE_OK);
    static char big[1 << 16];
    fwrite(big, 1, sizeof big, truce_output_stream(o));
    truce_status st = truce_output_commit(o);
    int e = errno;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    assert_int_equal(st, TRUCE_E_IO);
    assert_int_equal(e, EFBIG);
    assert_string_equal(slurp(p), "before\n");
    assert_int_equal(temporaries(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_file),     cmocka_unit_test(test_replace_keeps_mode),
        cmocka_unit_test(test_abort),        cmocka_unit_test(test_symlinks),
        cmocka_unit_test(test_refused),      cmocka_unit_test(test_devices),
        cmocka_unit_test(test_failed_write),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
