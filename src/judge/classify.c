/* Verdicts: see truce/classify.h and docs/classify.md. */
#include "truce/classify.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "judge/place_memo.h"
#include "base/strmap.h"
#include "truce/decimal.h"
#include "base/name_memo.h"
#include "base/util.h"

/* Actor names repeat from event to event (ACLED's are a fixed vocabulary),
 * and matching one against a list meant lower-casing it and a strstr per
 * pattern: 5% of classify's instructions on the bench file (callgrind).
 * Event types and sub-types repeat too, and matching one meant a
 * case-insensitive comparison per item of the rule's list (6% of
 * judging's instructions beside the corridor's, 200,000 scattered events).
 * Each name's answer per list is kept in its slot of a name memo
 * (name_memo.h).  Lists are numbered 4 * rule + kind (kinds below). */
#define NAME_SLOTS 256

/* The lists of a rule, as the name memo's answers number them. */
enum { LIST_ACTORS, LIST_EXCEPT, LIST_TYPES, LIST_SUB_TYPES, LIST_KINDS };

/* Items a rule names: rule r's are index[start[r], start[r + 1]). */
typedef struct named {
    size_t *start; /* nrules + 1 */
    size_t *index;
} named;

/* The lists of a rule whose per-event answers are kept (see memo). */
enum { MEMO_TYPES, MEMO_SUB_TYPES, MEMO_ACTORS, MEMO_EXCEPT, MEMO_KINDS };

struct truce_classifier {
    const truce_agreement *a;
    /* One index per agreement zone and corridor: this classifier's own, or
     * borrowed from `model` (truce_classifier_new_shared) when that is set. */
    const truce_classifier *model;
    truce_zone_index **zones;
    truce_corridor **corridors;
    /* Amendments often restate a zone or corridor with new dates: items of
     * the same geometry (and depths) share the first one's index, which
     * alone is owned (own_zone[i], own_corridor[i]). */
    unsigned char *own_zone, *own_corridor;
    truce_zone_verdict *zv; /* results of the current call */
    truce_corridor_verdict *cv;
    /* Where places lie, remembered per place (place_memo.h); `here` is the
     * current event's slot (NULL arrays without a location). */
    place_memo *places;
    place_slot here;
    /* Actor patterns in lower case, per rule: actors then except_actors. */
    char ***lc_patterns; /* 2 * nrules lists, each as long as the rule's */
    /* Names already matched against the rules' lists (see name_first);
     * slot_first[slot * LIST_KINDS * nrules + list]. */
    trc_name_key *slots;
    int32_t *slot_first;
    char *lc_buf; /* a long name in lower case */
    size_t lc_cap;
    /* The zones and corridors each rule names (rule_places). */
    named zones_of, corridors_of;
    /* Per-event answers of the rules' lists, made on first need: rules
     * often repeat a list (the bundled agreement's two rules share their
     * event types and exceptions), and the reported rule is judged a second
     * time to write its reason.  For list kind k and rule r, canon[k][r] is
     * the first rule whose list is the same, whose answer is memo[k][...],
     * valid while memo_serial[k][...] == serial. */
    size_t *canon[MEMO_KINDS];
    const char **memo[MEMO_KINDS];
    uint64_t *memo_serial[MEMO_KINDS];
    uint64_t serial; /* counts truce_classify calls */
    /* The rules the current event breaks or may break (truce_verdict.rules)
     * and their reasons, hit k's at hit_reasons + k * TRUCE_REASON_MAX:
     * room for a few made with the classifier, grown (never shrunk) for an
     * event that breaks more, so judging allocates nothing once warm. */
    truce_rule_verdict *hits;
    char *hit_reasons;
    size_t hits_cap;
};

/* A criterion's outcome, ordered so that the weakest wins. */
enum { NO = 0, MAYBE = 1, YES = 2 };

const char *truce_phase_name(truce_phase p)
{
    return p == TRUCE_EVENT_BEFORE ? "before" : p == TRUCE_EVENT_AFTER ? "after" : "spans";
}

const char *truce_violation_name(truce_violation v)
{
    return v == TRUCE_VIOLATION_YES        ? "violation"
           : v == TRUCE_VIOLATION_POSSIBLE ? "possible"
                                           : "none";
}

static void named_release(named *n)
{
    trc_free(n->start);
    trc_free(n->index);
}

void truce_classifier_free(truce_classifier *c)
{
    if (!c)
        return;
    if (!c->model) {
        for (size_t i = 0; c->zones && c->own_zone && i < c->a->nzones; i++)
            if (c->own_zone[i])
                truce_zone_index_free(c->zones[i]);
        for (size_t i = 0; c->corridors && c->own_corridor && i < c->a->ncorridors; i++)
            if (c->own_corridor[i])
                truce_corridor_free(c->corridors[i]);
        trc_free(c->zones);
        trc_free(c->corridors);
        trc_free(c->own_zone);
        trc_free(c->own_corridor);
    }
    for (size_t i = 0; c->lc_patterns && i < 2 * c->a->nrules; i++) {
        const truce_strings *l =
            i % 2 ? &c->a->rules[i / 2].except_actors : &c->a->rules[i / 2].actors;
        for (size_t k = 0; c->lc_patterns[i] && k < l->count; k++)
            trc_free(c->lc_patterns[i][k]);
        trc_free(c->lc_patterns[i]);
    }
    trc_free(c->lc_patterns);
    trc_free(c->lc_buf);
    trc_free(c->slots);
    trc_free(c->slot_first);
    named_release(&c->zones_of);
    named_release(&c->corridors_of);
    for (int k = 0; k < MEMO_KINDS; k++) {
        trc_free(c->canon[k]);
        trc_free(c->memo[k]);
        trc_free(c->memo_serial[k]);
    }
    trc_free(c->zv);
    trc_free(c->cv);
    trc_free(c->hits);
    trc_free(c->hit_reasons);
    trc_place_memo_free(c->places);
    trc_free(c);
}

/* An ASCII lower-case copy of s into dst (n bytes with the NUL). */
static void lower_into(char *dst, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        dst[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + ('a' - 'A')) : ch;
    }
}

static truce_status lower_patterns(truce_classifier *c)
{
    const truce_agreement *a = c->a;
    c->lc_patterns = trc_calloc(2 * a->nrules + 1, sizeof *c->lc_patterns);
    if (!c->lc_patterns)
        return TRUCE_E_NOMEM;
    for (size_t i = 0; i < 2 * a->nrules; i++) {
        const truce_strings *l = i % 2 ? &a->rules[i / 2].except_actors : &a->rules[i / 2].actors;
        if (!(c->lc_patterns[i] = trc_calloc(l->count + 1, sizeof(char *))))
            return TRUCE_E_NOMEM;
        for (size_t k = 0; k < l->count; k++) {
            size_t n = strlen(l->items[k]) + 1;
            if (!(c->lc_patterns[i][k] = trc_malloc(n)))
                return TRUCE_E_NOMEM;
            lower_into(c->lc_patterns[i][k], l->items[k], n);
        }
    }
    return TRUCE_OK;
}

static const truce_strings *rule_list(const truce_rule *r, int kind)
{
    return kind == MEMO_TYPES       ? &r->event_types
           : kind == MEMO_SUB_TYPES ? &r->sub_types
           : kind == MEMO_ACTORS    ? &r->actors
                                    : &r->except_actors;
}

static int same_strings(const truce_strings *x, const truce_strings *y)
{
    if (x->count != y->count)
        return 0;
    for (size_t i = 0; i < x->count; i++)
        if (strcmp(x->items[i], y->items[i]))
            return 0;
    return 1;
}

static int by_index(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return a < b ? -1 : a > b;
}

/* For every rule, the indexes of the items (ids[0, nids)) its list `kind`
 * (zones, else corridors) names, ascending and each once: a list per rule
 * as long as the rule's own, where a table of rules by items grew with
 * their product (10,000 rule versions by 10,000 zones would be 100 MB a
 * thread). */
static truce_status rule_places(const truce_agreement *a, int zones, named *out)
{
    size_t nids = zones ? a->nzones : a->ncorridors, total = 0;
    for (size_t r = 0; r < a->nrules; r++)
        total += (zones ? &a->rules[r].zones : &a->rules[r].corridors)->count;
    out->start = trc_calloc(a->nrules + 1, sizeof *out->start);
    out->index = trc_malloc((total ? total : 1) * sizeof *out->index);
    strmap ids;
    trc_strmap_init(&ids);
    truce_status st = out->start && out->index ? TRUCE_OK : TRUCE_E_NOMEM;
    for (size_t i = 0; i < nids && st == TRUCE_OK; i++) {
        size_t at; /* == i: ids are unique (the loader checks) */
        st = trc_strmap_put(&ids, zones ? a->zones[i].id : a->corridors[i].id, &at, NULL);
    }
    size_t n = 0;
    for (size_t r = 0; r < a->nrules && st == TRUCE_OK; r++) {
        const truce_strings *l = zones ? &a->rules[r].zones : &a->rules[r].corridors;
        size_t first = n;
        for (size_t k = 0; k < l->count && st == TRUCE_OK; k++) {
            size_t i;
            st = trc_strmap_put(&ids, l->items[k], &i, NULL);
            if (st == TRUCE_OK && i < nids) /* else no such item: names nothing */
                out->index[n++] = i;
        }
        qsort(out->index + first, n - first, sizeof *out->index, by_index);
        size_t kept = first;
        for (size_t k = first; k < n; k++)
            if (kept == first || out->index[kept - 1] != out->index[k])
                out->index[kept++] = out->index[k];
        n = kept;
        out->start[r + 1] = n;
    }
    trc_strmap_release(&ids);
    return st;
}

/* What the agreement settles once: which zones and corridors each rule
 * names, and which rules share a list (see struct truce_classifier). */
static truce_status prepare_rules(truce_classifier *c)
{
    const truce_agreement *a = c->a;
    size_t nr = a->nrules ? a->nrules : 1;
    truce_status st = rule_places(a, 1, &c->zones_of);
    if (st == TRUCE_OK)
        st = rule_places(a, 0, &c->corridors_of);
    if (st != TRUCE_OK)
        return st;
    for (int k = 0; k < MEMO_KINDS; k++) {
        c->canon[k] = trc_calloc(nr, sizeof *c->canon[k]);
        c->memo[k] = trc_calloc(nr, sizeof *c->memo[k]);
        c->memo_serial[k] = trc_calloc(nr, sizeof *c->memo_serial[k]);
        if (!c->canon[k] || !c->memo[k] || !c->memo_serial[k])
            return TRUCE_E_NOMEM;
        for (size_t r = 0; r < a->nrules; r++) {
            size_t first = r;
            for (size_t q = 0; q < r && first == r; q++)
                if (same_strings(rule_list(&a->rules[q], k), rule_list(&a->rules[r], k)))
                    first = q;
            c->canon[k][r] = first;
        }
    }
    return TRUCE_OK;
}

/* Room for at least n hits (see struct truce_classifier); TRUCE_E_NOMEM. */
static truce_status hits_reserve(truce_classifier *c, size_t n)
{
    if (n <= c->hits_cap)
        return TRUCE_OK;
    size_t cap = c->hits_cap ? c->hits_cap : 4;
    while (cap < n)
        cap *= 2;
    truce_rule_verdict *h = trc_realloc(c->hits, cap * sizeof *h);
    if (h)
        c->hits = h;
    char *r = h ? trc_realloc(c->hit_reasons, cap * TRUCE_REASON_MAX) : NULL;
    if (!r)
        return TRUCE_E_NOMEM;
    c->hit_reasons = r;
    c->hits_cap = cap;
    return TRUCE_OK;
}

/* A classifier with everything but the indexes: `model`'s when given, else
 * empty arrays for them. */
static truce_status classifier_alloc(const truce_agreement *a, const truce_classifier *model,
                                     truce_classifier **out)
{
    *out = NULL;
    truce_classifier *c = trc_calloc(1, sizeof *c);
    if (!c)
        return TRUCE_E_NOMEM;
    c->a = a;
    c->model = model;
    size_t nz = a->nzones ? a->nzones : 1, nc = a->ncorridors ? a->ncorridors : 1;
    if (model) {
        c->zones = model->zones;
        c->corridors = model->corridors;
    } else {
        c->zones = trc_calloc(nz, sizeof *c->zones);
        c->corridors = trc_calloc(nc, sizeof *c->corridors);
        c->own_zone = trc_calloc(nz, 1);
        c->own_corridor = trc_calloc(nc, 1);
        if (!c->own_zone || !c->own_corridor) {
            truce_classifier_free(c);
            return TRUCE_E_NOMEM;
        }
    }
    c->zv = trc_calloc(nz, sizeof *c->zv);
    c->cv = trc_calloc(nc, sizeof *c->cv);
    c->places = trc_place_memo_new(a->nzones, a->ncorridors);
    truce_status st =
        !c->zones || !c->corridors || !c->zv || !c->cv || !c->places ? TRUCE_E_NOMEM : TRUCE_OK;
    if (st == TRUCE_OK)
        st = lower_patterns(c);
    if (st == TRUCE_OK)
        st = prepare_rules(c);
    if (st == TRUCE_OK)
        st = hits_reserve(c, a->nrules < 4 ? a->nrules : 4);
    if (st == TRUCE_OK) {
        c->slots = trc_malloc(NAME_SLOTS * sizeof *c->slots);
        c->slot_first =
            trc_malloc(NAME_SLOTS * LIST_KINDS * (a->nrules ? a->nrules : 1) * sizeof(int32_t));
        if (!c->slots || !c->slot_first)
            st = TRUCE_E_NOMEM;
        if (c->slots)
            trc_name_keys_clear(c->slots, NAME_SLOTS);
    }
    if (st != TRUCE_OK) {
        truce_classifier_free(c);
        return st;
    }
    *out = c;
    return TRUCE_OK;
}

static int same_line(const truce_line *x, const truce_line *y)
{
    return x->n == y->n && !memcmp(x->lonlat, y->lonlat, 2 * x->n * sizeof *x->lonlat);
}

/* Whether two zones have the same rings, vertex for vertex. */
static int same_zone(const truce_zone *x, const truce_zone *y)
{
    if (x->npolygons != y->npolygons)
        return 0;
    for (size_t p = 0; p < x->npolygons; p++) {
        if (x->polygons[p].nrings != y->polygons[p].nrings)
            return 0;
        for (size_t r = 0; r < x->polygons[p].nrings; r++)
            if (!same_line(&x->polygons[p].rings[r], &y->polygons[p].rings[r]))
                return 0;
    }
    return 1;
}

/* Whether two corridors have the same road and depths. */
static int same_corridor(const truce_corridor_def *x, const truce_corridor_def *y)
{
    if (x->nroads != y->nroads || x->left_m != y->left_m || x->right_m != y->right_m)
        return 0;
    for (size_t i = 0; i < x->nroads; i++)
        if (!same_line(&x->roads[i], &y->roads[i]))
            return 0;
    return 1;
}

truce_status truce_classifier_new_shared(const truce_classifier *model, truce_classifier **out)
{
    if (!model || !out)
        return TRUCE_E_ARG;
    /* A model that borrows its indexes lends its own model's. */
    return classifier_alloc(model->a, model->model ? model->model : model, out);
}

truce_status truce_classifier_new(const truce_agreement *a, truce_classifier **out)
{
    if (!a || !out)
        return TRUCE_E_ARG;
    *out = NULL;
    truce_classifier *c;
    truce_status st = classifier_alloc(a, NULL, &c);
    if (st != TRUCE_OK)
        return st;
    for (size_t i = 0; i < a->nzones && st == TRUCE_OK; i++) {
        size_t j = 0;
        while (j < i && !(c->own_zone[j] && same_zone(&a->zones[j], &a->zones[i])))
            j++;
        if (j < i) {
            c->zones[i] = c->zones[j];
        } else {
            st = truce_zone_index_new(a->zones[i].polygons, a->zones[i].npolygons, &c->zones[i]);
            c->own_zone[i] = st == TRUCE_OK;
        }
    }
    for (size_t i = 0; i < a->ncorridors && st == TRUCE_OK; i++) {
        size_t j = 0;
        while (j < i && !(c->own_corridor[j] && same_corridor(&a->corridors[j], &a->corridors[i])))
            j++;
        if (j < i) {
            c->corridors[i] = c->corridors[j];
        } else {
            st = truce_corridor_from_def(&a->corridors[i], -1, -1, &c->corridors[i]);
            c->own_corridor[i] = st == TRUCE_OK;
        }
    }
    if (st != TRUCE_OK) {
        truce_classifier_free(c);
        return st;
    }
    *out = c;
    return TRUCE_OK;
}

/* How an item valid over `v` applies to an event over [s, e): NO when not in
 * force at all, MAYBE when in force for part of it, YES throughout. */
static int in_force(const truce_validity *v, int64_t s, int64_t e)
{
    if (v->until_s <= s || v->from_s >= e)
        return NO;
    return v->from_s <= s && v->until_s >= e ? YES : MAYBE;
}

/* The first of a rule's actor patterns (`except`: except_actors, else
 * actors; lower-cased in lc) that `name` (length n) contains, ignoring
 * ASCII case: its index, or -1 for none (or when out of memory). */
static int32_t scan_patterns(truce_classifier *c, const char *name, size_t n,
                             const truce_strings *list, char **lc_patterns)
{
    char small[TRC_NAME_KEY_MAX], *lc = small;
    if (n >= sizeof small) {
        if (n + 1 > c->lc_cap) {
            char *b = trc_realloc(c->lc_buf, n + 1);
            if (!b)
                return -1;
            c->lc_buf = b;
            c->lc_cap = n + 1;
        }
        lc = c->lc_buf;
    }
    lower_into(lc, name, n + 1);
    for (size_t i = 0; i < list->count && i < INT32_MAX; i++)
        if (strstr(lc, lc_patterns[i]))
            return (int32_t)i;
    return -1;
}

/* The first item of list `li` (see NAME_SLOTS) that `name` (length n)
 * matches: an actor pattern it contains, an event type or sub-type it
 * equals, ignoring ASCII case; its index, or -1 for none. */
static int32_t scan_list(truce_classifier *c, const char *name, size_t n, size_t li)
{
    const truce_rule *r = &c->a->rules[li / LIST_KINDS];
    int kind = (int)(li % LIST_KINDS);
    if (kind == LIST_ACTORS || kind == LIST_EXCEPT) {
        int except = kind == LIST_EXCEPT;
        return scan_patterns(c, name, n, except ? &r->except_actors : &r->actors,
                             c->lc_patterns[2 * (li / LIST_KINDS) + (size_t)except]);
    }
    const truce_strings *list = kind == LIST_TYPES ? &r->event_types : &r->sub_types;
    for (size_t i = 0; i < list->count && i < INT32_MAX; i++)
        if (!truce_strcasecmp(list->items[i], name))
            return (int32_t)i;
    return -1;
}

/* scan_list, remembered per name (see NAME_SLOTS). */
static int32_t name_first(truce_classifier *c, const char *name, size_t li)
{
    size_t n = strlen(name);
    int hit;
    size_t slot = trc_name_find(c->slots, NAME_SLOTS, name, n, &hit);
    if (slot == SIZE_MAX)
        return scan_list(c, name, n, li);
    size_t nlists = LIST_KINDS * c->a->nrules;
    int32_t *first = &c->slot_first[slot * nlists];
    if (!hit) {
        trc_name_keep(&c->slots[slot], name, n);
        for (size_t k = 0; k < nlists; k++)
            first[k] = -2; /* not known yet */
    }
    if (first[li] == -2)
        first[li] = scan_list(c, name, n, li);
    return first[li];
}

/* The first pattern of rule `r`'s list (`except`: except_actors, else
 * actors) found in any of the event's actors, ignoring ASCII case; NULL when
 * none is.  Patterns are returned as the agreement wrote them.  (The first
 * pattern any actor contains is the least over the actors of the first
 * each contains.) */
static const char *actor_match(truce_classifier *c, const truce_event *ev, const truce_rule *r,
                               int except)
{
    const truce_strings *list = except ? &r->except_actors : &r->actors;
    if (!list->count)
        return NULL;
    size_t li = LIST_KINDS * (size_t)(r - c->a->rules) + (except ? LIST_EXCEPT : LIST_ACTORS);
    const char *actors[4] = {ev->actor1, ev->assoc_actor1, ev->actor2, ev->assoc_actor2};
    int32_t best = -1;
    for (int k = 0; k < 4; k++) {
        int32_t i = actors[k] ? name_first(c, actors[k], li) : -1;
        if (i >= 0 && (best < 0 || i < best))
            best = i;
    }
    return best >= 0 ? list->items[best] : NULL;
}

static const char *violence_name(int type)
{
    return type == 1 ? "state-based" : type == 2 ? "non-state" : type == 3 ? "one-sided" : NULL;
}

/* Text written into a fixed buffer as snprintf writes it: what does not fit
 * is cut, and the buffer stays NUL-terminated.  Reasons are made of literal
 * pieces, ids and a few numbers; building them so instead of with printf
 * formats halved what writing a reason cost (it is written for every
 * event). */
typedef struct text {
    char *p;
    size_t size, len; /* size 0: writes nothing */
} text;

static void put_n(text *t, const char *s, size_t n)
{
    if (t->len + 1 >= t->size)
        return;
    size_t room = t->size - 1 - t->len;
    if (n > room)
        n = room;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

/* A string; nothing is measured when there is no room (judging only). */
static void put(text *t, const char *s)
{
    if (t->len + 1 < t->size)
        put_n(t, s, strlen(s));
}

/* A string literal, whose length is known. */
#define PUT_LIT(t, lit) put_n((t), "" lit, sizeof(lit) - 1)

/* printf's "%.*f" (decimals 0..9). */
static void put_fixed(text *t, double x, int decimals)
{
    if (t->len + 1 >= t->size)
        return;
    char num[TRUCE_DECIMAL_FIXED_MAX];
    int n = truce_decimal_fixed(x, decimals, num, sizeof num);
    if (n >= 0 && (size_t)n < sizeof num) {
        put_n(t, num, (size_t)n);
    } else if (n > 0) { /* longer than the fast form: printf's own text */
        char big[400];
        n = snprintf(big, sizeof big, "%.*f", decimals, x);
        put_n(t, big, n < 0 ? 0 : (size_t)n < sizeof big ? (size_t)n : sizeof big - 1);
    }
}

/* A text over buf[size], emptied. */
static text text_over(char *buf, size_t size)
{
    buf[0] = '\0';
    return (text){buf, size, 0};
}

/* Start the next item of reason `why` ("; "-separated).  A reason of size
 * 0 writes nothing (judging only: the reason is written for the chosen
 * rule); one without room for another item is closed (its size cut to what
 * it holds) so that it writes nothing more either. */
static text *item(text *why)
{
    if (why->len + 3 >= why->size) {
        if (why->size)
            why->size = why->len + 1;
        return why;
    }
    if (why->len) {
        memcpy(why->p + why->len, "; ", 3);
        why->len += 2;
    }
    return why;
}

/* The answer of rule r's list of kind k for the current event, made on
 * first need: the matching event type (the event's own or its violence
 * type's name), the sub-type, the first actor pattern found, the first
 * excepted pattern found; NULL for none. */
static const char *list_answer(truce_classifier *c, const truce_event *ev, size_t r, int k)
{
    size_t q = c->canon[k][r];
    if (c->memo_serial[k][q] == c->serial)
        return c->memo[k][q];
    const truce_rule *rule = &c->a->rules[q];
    const char *answer;
    size_t li = LIST_KINDS * q;
    if (k == MEMO_TYPES) {
        const char *vt = violence_name(ev->violence_type);
        answer = ev->event_type && name_first(c, ev->event_type, li + LIST_TYPES) >= 0
                     ? ev->event_type
                 : vt && name_first(c, vt, li + LIST_TYPES) >= 0 ? vt
                                                                 : NULL;
    } else if (k == MEMO_SUB_TYPES) {
        answer = ev->sub_event_type && name_first(c, ev->sub_event_type, li + LIST_SUB_TYPES) >= 0
                     ? ev->sub_event_type
                     : NULL;
    } else {
        answer = actor_match(c, ev, rule, k == MEMO_EXCEPT);
    }
    c->memo[k][q] = answer;
    c->memo_serial[k][q] = c->serial;
    return answer;
}

/* A place's outcome from its item's validity and the position in it. */
static int place_of(int in_force, truce_position position)
{
    return !in_force                         ? NO
           : position == TRUCE_POS_INSIDE    ? (in_force == YES ? YES : MAYBE)
           : position == TRUCE_POS_UNCERTAIN ? MAYBE
                                             : NO;
}

/* The reason for a sighting whose sector a boundary crosses. */
static void sector_share(text *t, double fraction, const char *kind, const char *id)
{
    PUT_LIT(t, "place uncertain: ");
    put_fixed(t, 100 * fraction, 0);
    PUT_LIT(t, "% of the sighting's sector is inside ");
    put(t, kind);
    put(t, id);
}

/* Place criterion of a rule: inside any of its zones or corridors. */
static int place_outcome(truce_classifier *c, const truce_event *ev, const truce_rule *r, text *why)
{
    if (!r->zones.count && !r->corridors.count)
        return YES;
    if (!ev->has_location) {
        PUT_LIT(item(why), "no location reported, so it may be inside");
        return MAYBE;
    }
    size_t ri = (size_t)(r - c->a->rules);
    int best = NO;
    /* Only their first bytes: "= \"\"" cleared all 560 for every rule
     * judged, words or not. */
    char fail_buf[160], maybe_buf[200], yes_buf[200];
    text fail = text_over(fail_buf, sizeof fail_buf),
         maybe = text_over(maybe_buf, sizeof maybe_buf), yes = text_over(yes_buf, sizeof yes_buf);
    for (size_t k = c->zones_of.start[ri]; k < c->zones_of.start[ri + 1]; k++) {
        size_t i = c->zones_of.index[k];
        const truce_zone_verdict *z = &c->zv[i];
        int o = place_of(z->in_force, z->position);
        const char *id = z->zone->id;
        if (!why->size) {
            ; /* judging only */
        } else if (o == YES && best < YES) {
            yes.len = 0;
            PUT_LIT(&yes, "inside zone ");
            put(&yes, id);
        } else if (o == MAYBE && best < MAYBE && z->position == TRUCE_POS_UNCERTAIN &&
                   ev->has_sector) {
            maybe.len = 0;
            sector_share(&maybe, z->fraction_inside, "zone ", id);
        } else if (o == MAYBE && best < MAYBE && z->position == TRUCE_POS_UNCERTAIN) {
            /* The distance is measured only for the reason written, once
             * per place while the memo keeps it. */
            truce_zone_verdict *zw = &c->zv[i];
            place_zone *pz = c->here.zones ? &c->here.zones[i] : NULL;
            if (zw->boundary_m < 0) {
                if (pz && pz->known && pz->boundary_m >= 0)
                    zw->boundary_m = pz->boundary_m;
                else if (truce_zone_boundary_m(c->zones[i], ev->lon, ev->lat, &zw->boundary_m) !=
                         TRUCE_OK)
                    zw->boundary_m = -1;
                else if (pz && pz->known)
                    pz->boundary_m = zw->boundary_m;
            }
            maybe.len = 0;
            PUT_LIT(&maybe, "place uncertain: the ");
            put_fixed(&maybe, ev->radius_m, 0);
            PUT_LIT(&maybe, " m radius reaches zone ");
            put(&maybe, id);
            PUT_LIT(&maybe, "'s boundary (");
            put_fixed(&maybe, zw->boundary_m, 0);
            PUT_LIT(&maybe, " m away)");
        } else if (o == MAYBE && best < MAYBE) {
            maybe.len = 0;
            PUT_LIT(&maybe, "inside zone ");
            put(&maybe, id);
            PUT_LIT(&maybe, ", which is in force for part of the event's time");
        } else if (!fail.len) {
            if (z->in_force)
                PUT_LIT(&fail, "outside zone ");
            else
                PUT_LIT(&fail, "zone not in force: zone ");
            put(&fail, id);
        }
        if (o > best)
            best = o;
    }
    for (size_t k = c->corridors_of.start[ri]; k < c->corridors_of.start[ri + 1]; k++) {
        size_t i = c->corridors_of.index[k];
        const truce_corridor_verdict *v = &c->cv[i];
        int o = place_of(v->in_force, v->position);
        const char *id = v->corridor->id;
        double depth = v->side == TRUCE_SIDE_LEFT ? v->corridor->left_m : v->corridor->right_m;
        if (!why->size) {
            ; /* judging only */
        } else if (o == YES && best < YES) {
            yes.len = 0;
            PUT_LIT(&yes, "inside corridor ");
            put(&yes, id);
            PUT_LIT(&yes, ": ");
            put_fixed(&yes, v->distance_m, 0);
            if (v->side == TRUCE_SIDE_LEFT)
                PUT_LIT(&yes, " m left of the road at km ");
            else
                PUT_LIT(&yes, " m right of the road at km ");
            put_fixed(&yes, v->chainage_m / 1e3, 1);
        } else if (o == MAYBE && best < MAYBE && v->position == TRUCE_POS_UNCERTAIN &&
                   ev->has_sector) {
            maybe.len = 0;
            sector_share(&maybe, v->fraction_inside, "corridor ", id);
        } else if (o == MAYBE && best < MAYBE && v->position == TRUCE_POS_UNCERTAIN) {
            maybe.len = 0;
            PUT_LIT(&maybe, "place uncertain: ");
            put_fixed(&maybe, v->distance_m, 0);
            PUT_LIT(&maybe, " m from corridor ");
            put(&maybe, id);
            PUT_LIT(&maybe, "'s road with a ");
            put_fixed(&maybe, ev->radius_m, 0);
            PUT_LIT(&maybe, " m radius against its ");
            put_fixed(&maybe, depth, 0);
            PUT_LIT(&maybe, " m depth");
        } else if (o == MAYBE && best < MAYBE) {
            maybe.len = 0;
            PUT_LIT(&maybe, "inside corridor ");
            put(&maybe, id);
            PUT_LIT(&maybe, " (");
            put_fixed(&maybe, v->distance_m, 0);
            PUT_LIT(&maybe, " m from the road), which is in force for part of the event's time");
        } else if (!fail.len) {
            if (v->in_force)
                PUT_LIT(&fail, "outside corridor ");
            else
                PUT_LIT(&fail, "not in force: corridor ");
            put(&fail, id);
            PUT_LIT(&fail, " (");
            put_fixed(&fail, v->distance_m, 0);
            PUT_LIT(&fail, " m from the road, depth ");
            put_fixed(&fail, depth, 0);
            PUT_LIT(&fail, " m)");
        }
        if (o > best)
            best = o;
    }
    const text *said = best == YES ? &yes : best == MAYBE ? &maybe : &fail;
    put_n(item(why), said->p, said->len);
    return best;
}

/* Judge an event against one rule; reason `why` (emptied first; size 0:
 * judging only) gets the reason and *no_phase the outcome with the phase
 * criterion left out. */
static int rule_outcome(truce_classifier *c, const truce_event *ev, truce_phase phase,
                        const truce_rule *r, text *why, int *no_phase)
{
    if (why->size)
        why->p[0] = '\0';
    why->len = 0;
    *no_phase = NO;
    size_t ri = (size_t)(r - c->a->rules);
    int phase_o = YES;
    int valid = in_force(&r->valid, ev->start_s, ev->end_s);
    if (valid == NO) {
        PUT_LIT(item(why), "rule not in force at the event's time");
        return NO;
    }
    int result = valid;
    if (valid == MAYBE)
        PUT_LIT(item(why), "rule in force for part of the event's time");
    if (r->phase != TRUCE_PHASE_ANY) {
        int want_after = r->phase == TRUCE_PHASE_AFTER;
        text *t = item(why);
        if (phase == TRUCE_EVENT_SPANS) {
            PUT_LIT(t, "time uncertain: the report's interval spans the ceasefire");
            phase_o = MAYBE;
        } else {
            int after = phase == TRUCE_EVENT_AFTER;
            if (after != want_after)
                phase_o = NO;
            /* The phase the event is in when it fails, else the one wanted:
             * the same word. */
            if (after)
                PUT_LIT(t, "after the ceasefire");
            else
                PUT_LIT(t, "before the ceasefire");
        }
    }
    if (r->event_types.count) {
        const char *type = list_answer(c, ev, ri, MEMO_TYPES);
        text *t = item(why);
        if (!type) {
            const char *vt = violence_name(ev->violence_type);
            PUT_LIT(t, "event type ");
            put(t, ev->event_type ? ev->event_type : vt ? vt : "(none)");
            PUT_LIT(t, " is not one the rule covers");
            return NO;
        }
        put(t, type);
    }
    if (r->sub_types.count) {
        const char *sub = list_answer(c, ev, ri, MEMO_SUB_TYPES);
        text *t = item(why);
        if (!sub) {
            PUT_LIT(t, "sub-type ");
            put(t, ev->sub_event_type ? ev->sub_event_type : "(none)");
            PUT_LIT(t, " is not one the rule covers");
            return NO;
        }
        put(t, sub);
    }
    const char *excepted = r->except_actors.count ? list_answer(c, ev, ri, MEMO_EXCEPT) : NULL;
    if (excepted) {
        text *t = item(why);
        PUT_LIT(t, "involves ");
        put(t, excepted);
        PUT_LIT(t, ", which the rule leaves out");
        return NO;
    }
    if (r->actors.count) {
        const char *who = list_answer(c, ev, ri, MEMO_ACTORS);
        text *t = item(why);
        if (!who) {
            PUT_LIT(t, "no actor the rule names");
            return NO;
        }
        PUT_LIT(t, "by ");
        put(t, who);
    }
    if (r->min_fatalities > 0) {
        if (ev->fatalities == TRUCE_COUNT_UNKNOWN || ev->fatalities < r->min_fatalities) {
            char n[24];
            snprintf(n, sizeof n, "%d", r->min_fatalities);
            text *t = item(why);
            PUT_LIT(t, "fewer than ");
            put(t, n);
            PUT_LIT(t, " fatalities reported");
            return NO;
        }
    }
    /* With the phase failed, the reason stops at it: nothing after it matters. */
    size_t keep = why->len;
    int place = place_outcome(c, ev, r, why);
    if (place < result)
        result = place;
    *no_phase = result;
    if (phase_o == NO && why->size) {
        why->p[keep] = '\0';
        why->len = keep;
    }
    return phase_o < result ? phase_o : result;
}

/* A disk's share inside, as far as a disk is weighed (classify.h). */
static double disk_fraction(truce_position p)
{
    return p == TRUCE_POS_INSIDE ? 1 : p == TRUCE_POS_OUTSIDE ? 0 : (double)NAN;
}

/* truce_sector_locate's tests: ctx is a zone index or a corridor. */
static truce_status zone_disk(void *ctx, double lon, double lat, double r, truce_position *p)
{
    return truce_zone_locate(ctx, lon, lat, r, p, NULL);
}

static truce_status corridor_disk(void *ctx, double lon, double lat, double r, truce_position *p)
{
    truce_measure m;
    truce_status st = truce_corridor_measure(ctx, lon, lat, &m);
    if (st == TRUCE_OK)
        *p = truce_corridor_disk_position(ctx, &m, r);
    return st;
}

/* Zone i's position for the event's place, from the memo when it knows. */
static truce_status locate_zone(const truce_classifier *c, size_t i, const truce_event *ev,
                                truce_zone_verdict *z)
{
    if (ev->has_sector)
        return truce_sector_locate(&ev->sector, 0, zone_disk, c->zones[i], &z->position,
                                   &z->fraction_inside);
    place_zone *pz = c->here.zones ? &c->here.zones[i] : NULL;
    if (pz && pz->known) {
        z->position = pz->position;
        z->fraction_inside = disk_fraction(z->position);
        return TRUCE_OK;
    }
    truce_status st = truce_zone_locate(c->zones[i], ev->lon, ev->lat, ev->radius_m, &z->position,
                                        &z->boundary_m);
    z->fraction_inside = disk_fraction(z->position);
    if (st == TRUCE_OK && pz)
        *pz = (place_zone){1, z->position, -1};
    return st;
}

static void locate_corridor(const truce_classifier *c, size_t i, const truce_event *ev,
                            truce_corridor_verdict *v, truce_status *st)
{
    place_corridor *pc = c->here.corridors ? &c->here.corridors[i] : NULL;
    truce_measure m;
    if (pc && pc->known) {
        m = pc->m;
    } else {
        *st = truce_corridor_measure(c->corridors[i], ev->lon, ev->lat, &m);
        if (*st != TRUCE_OK)
            return;
        if (pc)
            *pc = (place_corridor){1, m};
    }
    v->distance_m = m.distance_m;
    v->chainage_m = m.chainage_m;
    v->side = m.side;
    if (ev->has_sector) {
        *st = truce_sector_locate(&ev->sector, 0, corridor_disk, c->corridors[i], &v->position,
                                  &v->fraction_inside);
        return;
    }
    v->position = truce_corridor_disk_position(c->corridors[i], &m, ev->radius_m);
    v->fraction_inside = disk_fraction(v->position);
}

truce_status truce_classify(truce_classifier *c, const truce_event *ev, truce_verdict *out)
{
    if (!c || !ev || !out)
        return TRUCE_E_ARG;
    const truce_agreement *a = c->a;
    memset(out, 0, sizeof *out);
    c->serial++; /* readers reuse one event struct: make its lists' answers anew */
    int64_t cf = a->ceasefire_s;
    out->phase = ev->end_s <= cf     ? TRUCE_EVENT_BEFORE
                 : ev->start_s >= cf ? TRUCE_EVENT_AFTER
                                     : TRUCE_EVENT_SPANS;
    truce_status st = TRUCE_OK;
    /* A sighting's place is its sector, not the disk the memo knows. */
    c->here = ev->has_location && !ev->has_sector
                  ? trc_place_memo_find(c->places, ev->lon, ev->lat, ev->radius_m)
                  : (place_slot){NULL, NULL};
    for (size_t i = 0; i < a->nzones; i++) {
        truce_zone_verdict *z = &c->zv[i];
        *z = (truce_zone_verdict){
            .zone = &a->zones[i], .fraction_inside = (double)NAN, .boundary_m = -1};
        z->in_force = in_force(&a->zones[i].valid, ev->start_s, ev->end_s);
        if (z->in_force && ev->has_location && st == TRUCE_OK)
            st = locate_zone(c, i, ev, z);
        else if (z->in_force)
            z->position = TRUCE_POS_UNCERTAIN; /* no location: could be anywhere */
    }
    for (size_t i = 0; i < a->ncorridors; i++) {
        truce_corridor_verdict *v = &c->cv[i];
        *v = (truce_corridor_verdict){.corridor = &a->corridors[i],
                                      .fraction_inside = (double)NAN,
                                      .distance_m = (double)NAN,
                                      .chainage_m = (double)NAN,
                                      .side = TRUCE_SIDE_RIGHT};
        v->in_force = in_force(&a->corridors[i].valid, ev->start_s, ev->end_s);
        if (v->in_force && ev->has_location && st == TRUCE_OK)
            locate_corridor(c, i, ev, v, &st);
        else if (v->in_force)
            v->position = TRUCE_POS_UNCERTAIN;
    }
    if (st != TRUCE_OK)
        return st;
    out->zones = c->zv;
    out->nzones = a->nzones;
    out->corridors = c->cv;
    out->ncorridors = a->ncorridors;

    /* Judge every rule without words, then write the reasons of those that
     * give a verdict (formatting reasons was a third of the time). */
    int best = NO, best_any = NO;
    size_t best_rule = SIZE_MAX, first_no = SIZE_MAX, nhits = 0, best_len = 0;
    text silent = {NULL, 0, 0};
    for (size_t i = 0; i < a->nrules; i++) {
        int no_phase;
        int o = rule_outcome(c, ev, out->phase, &a->rules[i], &silent, &no_phase);
        if (no_phase > best_any)
            best_any = no_phase;
        if (o == NO) {
            if (first_no == SIZE_MAX)
                first_no = i;
            continue;
        }
        if (hits_reserve(c, nhits + 1) != TRUCE_OK)
            return TRUCE_E_NOMEM;
        c->hits[nhits].rule = &a->rules[i];
        c->hits[nhits].violation = o == YES ? TRUCE_VIOLATION_YES : TRUCE_VIOLATION_POSSIBLE;
        if (o > best) {
            best = o;
            best_rule = nhits;
        }
        nhits++;
    }
    int ignored;
    for (size_t k = 0; k < nhits; k++) {
        text why = {c->hit_reasons + k * TRUCE_REASON_MAX, TRUCE_REASON_MAX, 0};
        c->hits[k].reason = why.p;
        rule_outcome(c, ev, out->phase, c->hits[k].rule, &why, &ignored);
        if (k == best_rule)
            best_len = why.len;
    }
    out->rules = nhits ? c->hits : NULL;
    out->nrules = nhits;
    if (best_rule != SIZE_MAX) {
        out->rule = c->hits[best_rule].rule;
        memcpy(out->reason, c->hits[best_rule].reason, best_len + 1);
    }
    out->violation = best == YES     ? TRUCE_VIOLATION_YES
                     : best == MAYBE ? TRUCE_VIOLATION_POSSIBLE
                                     : TRUCE_VIOLATION_NONE;
    out->any_phase = best_any == YES     ? TRUCE_VIOLATION_YES
                     : best_any == MAYBE ? TRUCE_VIOLATION_POSSIBLE
                                         : TRUCE_VIOLATION_NONE;
    if (best == NO) {
        if (first_no != SIZE_MAX) {
            char buf[sizeof out->reason];
            text why = {buf, sizeof buf, 0};
            rule_outcome(c, ev, out->phase, &a->rules[first_no], &why, &ignored);
            /* "no rule broken (rule %.60s: %.230s)" */
            text t = text_over(out->reason, sizeof out->reason);
            PUT_LIT(&t, "no rule broken (rule ");
            put_n(&t, a->rules[first_no].id, strnlen(a->rules[first_no].id, 60));
            PUT_LIT(&t, ": ");
            put_n(&t, buf, why.len < 230 ? why.len : 230);
            PUT_LIT(&t, ")");
        } else {
            text t = text_over(out->reason, sizeof out->reason);
            PUT_LIT(&t, "the agreement has no rules");
        }
    }
    return TRUCE_OK;
}
