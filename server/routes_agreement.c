/* truce serve: the agreement's versions.  PUT /api/v1/agreement validates a
 * new version with the agreement loader (truce_agreement_parse), stores it
 * with every stored event judged again (truce_store_agreement_put) and
 * serves it from then on; a restart serves the latest stored version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_impl.h"
#include "truce/diag.h"

/* An agreement loaded here, kept until the server stops: a request that
 * took the old one before a PUT may still be reading it. */
struct srv_version {
    truce_agreement *agreement;
    struct srv_version *next;
};

const truce_agreement *srv_agreement(srv *s)
{
    return atomic_load(&s->agreement);
}

/* Keep `a` (owned from now) and serve it as version `version`.  The caller
 * holds agreement_lock for writing (or no request runs yet).  -1 when out
 * of memory (then `a` is freed, nothing changes). */
static int serve_version(srv *s, truce_agreement *a, int64_t version)
{
    struct srv_version *v = calloc(1, sizeof *v);
    if (!v) {
        truce_agreement_free(a);
        return -1;
    }
    v->agreement = a;
    v->next = s->versions;
    s->versions = v;
    /* The pooled judges hold the old agreement; no report is being judged. */
    srv_judges_free(s);
    atomic_store(&s->agreement, a);
    atomic_store(&s->agreement_version, version);
    s->ropt.tz = a->tz; /* reports are read in its time zone */
    return 0;
}

void srv_agreement_stop(srv *s)
{
    while (s->versions) {
        struct srv_version *next = s->versions->next;
        truce_agreement_free(s->versions->agreement);
        free(s->versions);
        s->versions = next;
    }
}

/* The whole of the file at `path`, NUL-terminated, in *out (malloc'd). */
static int read_whole(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return -1;
    for (;;) {
        if (cap - n < 4096) {
            char *grown = realloc(buf, cap = cap ? cap * 2 : 65536);
            if (!grown)
                break;
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (!got)
            break;
    }
    int bad = ferror(f) || !buf || !feof(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int srv_agreement_start(srv *s, char *note, size_t note_len)
{
    const srv_config *cfg = s->cfg;
    atomic_store(&s->agreement, cfg->agreement);
    char *text = NULL;
    size_t len = 0;
    if (read_whole(cfg->agreement->path, &text, &len)) {
        fprintf(stderr, "truce serve: %s: cannot read it again to store it\n",
                cfg->agreement->path);
        return -1;
    }
    int64_t found = 0, latest = 0;
    truce_text stored = {0};
    truce_status st = truce_store_agreement_find(cfg->store, text, len, &found);
    if (!st && !found) {
        /* A text not stored yet: it is the new version. */
        truce_store_revision rev;
        st =
            truce_store_agreement_put(cfg->store, text, len, cfg->agreement, 0, cfg->threads, &rev);
        if (!st) {
            atomic_store(&s->agreement_version, rev.version);
            snprintf(note, note_len,
                     "AGREEMENT stored as version %lld; %zu events judged again, %zu changed",
                     (long long)rev.version, rev.events, rev.changed);
        }
    } else if (!st) {
        st = truce_store_agreement_latest(cfg->store, &stored, &latest);
    }
    free(text);
    if (!st && found && latest == found) {
        atomic_store(&s->agreement_version, found);
        snprintf(note, note_len, "AGREEMENT is the latest stored version, %lld", (long long)found);
    } else if (!st && found) {
        /* An older version's text: a PUT replaced it since; keep that. */
        char name[64];
        snprintf(name, sizeof name, "store:agreement version %lld", (long long)latest);
        truce_diags diags;
        truce_diags_init(&diags);
        truce_agreement *a = NULL;
        st = truce_agreement_parse(stored.p, stored.len, name, &a, &diags);
        truce_diags_release(&diags);
        if (!st && serve_version(s, a, latest))
            st = TRUCE_E_NOMEM;
        if (!st)
            snprintf(note, note_len,
                     "AGREEMENT is stored version %lld; serving the latest stored version, %lld",
                     (long long)found, (long long)latest);
    }
    truce_text_release(&stored);
    if (st) {
        fprintf(stderr, "truce serve: the store's agreement versions: %s\n", truce_strerror(st));
        return -1;
    }
    return 0;
}

/* The first error of a rejected agreement as a problem: the key (or item)
 * at fault as the field, the loader's line and message as the detail. */
static void refuse(srv_req *r, truce_status st, const truce_diags *diags)
{
    const truce_diag *d = NULL;
    for (size_t i = 0; i < diags->count && !d; i++)
        if (diags->items[i].level == TRUCE_DIAG_ERROR)
            d = &diags->items[i];
    if (!d) {
        srv_problem(r, MHD_HTTP_BAD_REQUEST, "body", truce_strerror(st));
        return;
    }
    char detail[600];
    int n = 0;
    if (d->line)
        n = snprintf(detail, sizeof detail, "line %ld: ", d->line);
    if (d->item)
        n += snprintf(detail + n, sizeof detail - (size_t)n, "%s: ", d->item);
    n += snprintf(detail + n, sizeof detail - (size_t)n, "%s", d->message);
    if (diags->errors > 1)
        snprintf(detail + n, sizeof detail - (size_t)n, " (and %zu more errors)",
                 diags->errors - 1);
    srv_problem(r, MHD_HTTP_BAD_REQUEST, d->key ? d->key : d->item ? d->item : "body", detail);
}

void srv_put_agreement(srv_req *r)
{
    srv *s = r->s;
    truce_diags diags;
    truce_diags_init(&diags);
    truce_agreement *a = NULL;
    truce_status st = truce_agreement_parse(r->body ? r->body : "", r->len, "body", &a, &diags);
    if (st == TRUCE_E_NOMEM) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
    } else if (st) {
        refuse(r, st, &diags);
    }
    truce_diags_release(&diags);
    if (st)
        return;
    truce_store_revision rev;
    pthread_rwlock_wrlock(&s->agreement_lock);
    st = truce_store_agreement_put(s->cfg->store, r->body, r->len, a, r->who.id, s->cfg->threads,
                                   &rev);
    if (st) {
        truce_agreement_free(a);
    } else if (serve_version(s, a, rev.version)) {
        st = TRUCE_E_NOMEM;
    }
    pthread_rwlock_unlock(&s->agreement_lock);
    if (st) {
        srv_problem(r, MHD_HTTP_SERVICE_UNAVAILABLE, NULL,
                    st == TRUCE_E_NOMEM ? "out of memory" : "the store cannot write the agreement");
        return;
    }
    char body[200];
    int n = snprintf(body, sizeof body,
                     "{\"version\":%lld,\"judged\":%zu,\"changed\":%zu,\"unreadable\":%zu}",
                     (long long)rev.version, rev.events, rev.changed, rev.failed);
    srv_answer(r, MHD_HTTP_OK, "application/json", body, (size_t)n, NULL, NULL);
}
