/* Verdicts: see truce/classify.h and docs/classify.md. */
#include "truce/classify.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct truce_classifier {
    const truce_agreement *a;
    truce_zone_index **zones;   /* one per agreement zone */
    truce_corridor **corridors; /* one per agreement corridor */
    truce_zone_verdict *zv;     /* results of the current call */
    truce_corridor_verdict *cv;
    /* Actor patterns in lower case, per rule: actors then except_actors. */
    char ***lc_patterns; /* 2 * nrules lists, each as long as the rule's */
    /* The current event's actors in lower case (made on first need). */
    const truce_event *lc_event;
    char *lc_actors[4];
    char *lc_buf;
    size_t lc_cap;
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

void truce_classifier_free(truce_classifier *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->zones && i < c->a->nzones; i++)
        truce_zone_index_free(c->zones[i]);
    for (size_t i = 0; c->corridors && i < c->a->ncorridors; i++)
        truce_corridor_free(c->corridors[i]);
    free(c->zones);
    free(c->corridors);
    for (size_t i = 0; c->lc_patterns && i < 2 * c->a->nrules; i++) {
        const truce_strings *l =
            i % 2 ? &c->a->rules[i / 2].except_actors : &c->a->rules[i / 2].actors;
        for (size_t k = 0; c->lc_patterns[i] && k < l->count; k++)
            free(c->lc_patterns[i][k]);
        free(c->lc_patterns[i]);
    }
    free(c->lc_patterns);
    free(c->lc_buf);
    free(c->zv);
    free(c->cv);
    free(c);
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
    c->lc_patterns = calloc(2 * a->nrules + 1, sizeof *c->lc_patterns);
    if (!c->lc_patterns)
        return TRUCE_E_NOMEM;
    for (size_t i = 0; i < 2 * a->nrules; i++) {
        const truce_strings *l = i % 2 ? &a->rules[i / 2].except_actors : &a->rules[i / 2].actors;
        if (!(c->lc_patterns[i] = calloc(l->count + 1, sizeof(char *))))
            return TRUCE_E_NOMEM;
        for (size_t k = 0; k < l->count; k++) {
            size_t n = strlen(l->items[k]) + 1;
            if (!(c->lc_patterns[i][k] = malloc(n)))
                return TRUCE_E_NOMEM;
            lower_into(c->lc_patterns[i][k], l->items[k], n);
        }
    }
    return TRUCE_OK;
}

truce_status truce_classifier_new(const truce_agreement *a, truce_classifier **out)
{
    if (!a || !out)
        return TRUCE_E_ARG;
    *out = NULL;
    truce_classifier *c = calloc(1, sizeof *c);
    if (!c)
        return TRUCE_E_NOMEM;
    c->a = a;
    size_t nz = a->nzones ? a->nzones : 1, nc = a->ncorridors ? a->ncorridors : 1;
    c->zones = calloc(nz, sizeof *c->zones);
    c->corridors = calloc(nc, sizeof *c->corridors);
    c->zv = calloc(nz, sizeof *c->zv);
    c->cv = calloc(nc, sizeof *c->cv);
    if (!c->zones || !c->corridors || !c->zv || !c->cv) {
        truce_classifier_free(c);
        return TRUCE_E_NOMEM;
    }
    truce_status st = lower_patterns(c);
    for (size_t i = 0; i < a->nzones && st == TRUCE_OK; i++)
        st = truce_zone_index_new(&a->zones[i], &c->zones[i]);
    for (size_t i = 0; i < a->ncorridors && st == TRUCE_OK; i++)
        st = truce_corridor_from_def(&a->corridors[i], -1, -1, &c->corridors[i]);
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

/* The event's actors in lower case, made once per event.  0, or -1 when
 * out of memory. */
static int lower_actors(truce_classifier *c, const truce_event *ev)
{
    if (c->lc_event == ev)
        return 0;
    const char *actors[4] = {ev->actor1, ev->assoc_actor1, ev->actor2, ev->assoc_actor2};
    size_t need = 0;
    for (int k = 0; k < 4; k++)
        need += actors[k] ? strlen(actors[k]) + 1 : 0;
    if (need > c->lc_cap) {
        char *b = realloc(c->lc_buf, need * 2);
        if (!b)
            return -1;
        c->lc_buf = b;
        c->lc_cap = need * 2;
    }
    char *p = c->lc_buf;
    for (int k = 0; k < 4; k++) {
        c->lc_actors[k] = NULL;
        if (!actors[k])
            continue;
        size_t n = strlen(actors[k]) + 1;
        lower_into(p, actors[k], n);
        c->lc_actors[k] = p;
        p += n;
    }
    c->lc_event = ev;
    return 0;
}

/* The first pattern of rule `r`'s list (`except`: except_actors, else
 * actors) found in any of the event's actors, ignoring ASCII case; NULL when
 * none is.  Patterns are returned as the agreement wrote them. */
static const char *actor_match(truce_classifier *c, const truce_event *ev, const truce_rule *r,
                               int except)
{
    const truce_strings *list = except ? &r->except_actors : &r->actors;
    if (!list->count || lower_actors(c, ev) != 0)
        return NULL;
    char **lc = c->lc_patterns[2 * (size_t)(r - c->a->rules) + (size_t)except];
    for (size_t i = 0; i < list->count; i++)
        for (int k = 0; k < 4; k++)
            if (c->lc_actors[k] && strstr(c->lc_actors[k], lc[i]))
                return list->items[i];
    return NULL;
}

static const char *violence_name(int type)
{
    return type == 1 ? "state-based" : type == 2 ? "non-state" : type == 3 ? "one-sided" : NULL;
}

static int list_has(const truce_strings *list, const char *value)
{
    if (!value)
        return 0;
    for (size_t i = 0; i < list->count; i++)
        if (!truce_strcasecmp(list->items[i], value))
            return 1;
    return 0;
}

/* Append to a reason buffer, "; "-separated. */
static void say(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void say(char *buf, size_t size, const char *fmt, ...)
{
    if (!buf)
        return; /* judging only: the reason is written for the chosen rule */
    size_t len = strlen(buf);
    if (len + 3 >= size)
        return;
    if (len) {
        memcpy(buf + len, "; ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/* Place criterion of a rule: inside any of its zones or corridors. */
static int place_outcome(truce_classifier *c, const truce_event *ev, const truce_rule *r, char *why,
                         size_t size)
{
    if (!r->zones.count && !r->corridors.count)
        return YES;
    if (!ev->has_location) {
        say(why, size, "no location reported, so it may be inside");
        return MAYBE;
    }
    int best = NO;
    char fail[160] = "", maybe[200] = "", yes[200] = "";
    for (size_t i = 0; i < c->a->nzones; i++) {
        const truce_zone_verdict *z = &c->zv[i];
        if (!list_has(&r->zones, z->zone->id))
            continue;
        int o = !z->in_force                         ? NO
                : z->position == TRUCE_POS_INSIDE    ? (z->in_force == YES ? YES : MAYBE)
                : z->position == TRUCE_POS_UNCERTAIN ? MAYBE
                                                     : NO;
        if (!why)
            ; /* judging only */
        else if (o == YES && best < YES)
            snprintf(yes, sizeof yes, "inside zone %s", z->zone->id);
        else if (o == MAYBE && best < MAYBE && z->position == TRUCE_POS_UNCERTAIN) {
            /* The distance is measured only for the reason written. */
            truce_zone_verdict *zw = &c->zv[i];
            if (zw->boundary_m < 0 &&
                truce_zone_boundary_m(c->zones[i], ev->lon, ev->lat, &zw->boundary_m) != TRUCE_OK)
                zw->boundary_m = -1;
            snprintf(maybe, sizeof maybe,
                     "place uncertain: the %.0f m radius reaches zone %s's boundary (%.0f m "
                     "away)",
                     ev->radius_m, z->zone->id, zw->boundary_m);
        } else if (o == MAYBE && best < MAYBE)
            snprintf(maybe, sizeof maybe,
                     "inside zone %s, which is in force for part of the event's time", z->zone->id);
        else if (!fail[0])
            snprintf(fail, sizeof fail, "%s zone %s",
                     z->in_force ? "outside" : "zone not in force:", z->zone->id);
        if (o > best)
            best = o;
    }
    for (size_t i = 0; i < c->a->ncorridors; i++) {
        const truce_corridor_verdict *v = &c->cv[i];
        if (!list_has(&r->corridors, v->corridor->id))
            continue;
        int o = !v->in_force                         ? NO
                : v->position == TRUCE_POS_INSIDE    ? (v->in_force == YES ? YES : MAYBE)
                : v->position == TRUCE_POS_UNCERTAIN ? MAYBE
                                                     : NO;
        const char *side = v->side == TRUCE_SIDE_LEFT ? "left" : "right";
        double depth = v->side == TRUCE_SIDE_LEFT ? v->corridor->left_m : v->corridor->right_m;
        if (!why)
            ; /* judging only */
        else if (o == YES && best < YES)
            snprintf(yes, sizeof yes, "inside corridor %s: %.0f m %s of the road at km %.1f",
                     v->corridor->id, v->distance_m, side, v->chainage_m / 1e3);
        else if (o == MAYBE && best < MAYBE && v->position == TRUCE_POS_UNCERTAIN)
            snprintf(maybe, sizeof maybe,
                     "place uncertain: %.0f m from corridor %s's road with a %.0f m radius "
                     "against its %.0f m depth",
                     v->distance_m, v->corridor->id, ev->radius_m, depth);
        else if (o == MAYBE && best < MAYBE)
            snprintf(maybe, sizeof maybe,
                     "inside corridor %s (%.0f m from the road), which is in force for part "
                     "of the event's time",
                     v->corridor->id, v->distance_m);
        else if (!fail[0])
            snprintf(fail, sizeof fail, "%s corridor %s (%.0f m from the road, depth %.0f m)",
                     v->in_force ? "outside" : "not in force:", v->corridor->id, v->distance_m,
                     depth);
        if (o > best)
            best = o;
    }
    say(why, size, "%s", best == YES ? yes : best == MAYBE ? maybe : fail);
    return best;
}

/* Judge an event against one rule; `why` gets the reason and *no_phase the
 * outcome with the phase criterion left out. */
static int rule_outcome(truce_classifier *c, const truce_event *ev, truce_phase phase,
                        const truce_rule *r, char *why, size_t size, int *no_phase)
{
    if (why)
        why[0] = '\0';
    *no_phase = NO;
    int phase_o = YES;
    int valid = in_force(&r->valid, ev->start_s, ev->end_s);
    if (valid == NO) {
        say(why, size, "rule not in force at the event's time");
        return NO;
    }
    int result = valid;
    if (valid == MAYBE)
        say(why, size, "rule in force for part of the event's time");
    if (r->phase != TRUCE_PHASE_ANY) {
        int want_after = r->phase == TRUCE_PHASE_AFTER;
        if (phase == TRUCE_EVENT_SPANS) {
            say(why, size, "time uncertain: the report's interval spans the ceasefire");
            phase_o = MAYBE;
        } else if ((phase == TRUCE_EVENT_AFTER) != want_after) {
            say(why, size, "%s the ceasefire", phase == TRUCE_EVENT_AFTER ? "after" : "before");
            phase_o = NO;
        } else {
            say(why, size, "%s the ceasefire", want_after ? "after" : "before");
        }
    }
    if (r->event_types.count) {
        const char *vt = violence_name(ev->violence_type);
        const char *t = list_has(&r->event_types, ev->event_type) ? ev->event_type
                        : list_has(&r->event_types, vt)           ? vt
                                                                  : NULL;
        if (!t) {
            say(why, size, "event type %s is not one the rule covers",
                ev->event_type ? ev->event_type
                : vt           ? vt
                               : "(none)");
            return NO;
        }
        say(why, size, "%s", t);
    }
    if (r->sub_types.count) {
        if (!list_has(&r->sub_types, ev->sub_event_type)) {
            say(why, size, "sub-type %s is not one the rule covers",
                ev->sub_event_type ? ev->sub_event_type : "(none)");
            return NO;
        }
        say(why, size, "%s", ev->sub_event_type);
    }
    const char *excepted = actor_match(c, ev, r, 1);
    if (excepted) {
        say(why, size, "involves %s, which the rule leaves out", excepted);
        return NO;
    }
    if (r->actors.count) {
        const char *who = actor_match(c, ev, r, 0);
        if (!who) {
            say(why, size, "no actor the rule names");
            return NO;
        }
        say(why, size, "by %s", who);
    }
    if (r->min_fatalities > 0) {
        if (ev->fatalities == TRUCE_COUNT_UNKNOWN || ev->fatalities < r->min_fatalities) {
            say(why, size, "fewer than %d fatalities reported", r->min_fatalities);
            return NO;
        }
    }
    /* With the phase failed, the reason stops at it: nothing after it matters. */
    size_t keep = why ? strlen(why) : 0;
    int place = place_outcome(c, ev, r, why, size);
    if (place < result)
        result = place;
    *no_phase = result;
    if (phase_o == NO && why)
        why[keep] = '\0';
    return phase_o < result ? phase_o : result;
}

static void locate_corridor(const truce_classifier *c, size_t i, const truce_event *ev,
                            truce_corridor_verdict *v, truce_status *st)
{
    const truce_corridor_def *d = &c->a->corridors[i];
    truce_measure m;
    *st = truce_corridor_measure(c->corridors[i], ev->lon, ev->lat, &m);
    if (*st != TRUCE_OK)
        return;
    v->distance_m = m.distance_m;
    v->chainage_m = m.chainage_m;
    v->side = m.side;
    double r = ev->radius_m;
    double depth = m.side == TRUCE_SIDE_LEFT ? d->left_m : d->right_m;
    /* A disk that reaches across the road covers both sides' depths. */
    double lo = m.distance_m < r ? fmin(d->left_m, d->right_m) : depth;
    double hi = m.distance_m < r ? fmax(d->left_m, d->right_m) : depth;
    if (m.distance_m + r <= lo)
        v->position = TRUCE_POS_INSIDE;
    else if (m.distance_m - r > hi)
        v->position = TRUCE_POS_OUTSIDE;
    else
        v->position = TRUCE_POS_UNCERTAIN;
}

truce_status truce_classify(truce_classifier *c, const truce_event *ev, truce_verdict *out)
{
    if (!c || !ev || !out)
        return TRUCE_E_ARG;
    const truce_agreement *a = c->a;
    memset(out, 0, sizeof *out);
    c->lc_event = NULL; /* readers reuse one event struct: lower its actors anew */
    int64_t cf = a->ceasefire_s;
    out->phase = ev->end_s <= cf     ? TRUCE_EVENT_BEFORE
                 : ev->start_s >= cf ? TRUCE_EVENT_AFTER
                                     : TRUCE_EVENT_SPANS;
    truce_status st = TRUCE_OK;
    for (size_t i = 0; i < a->nzones; i++) {
        truce_zone_verdict *z = &c->zv[i];
        *z = (truce_zone_verdict){.zone = &a->zones[i], .boundary_m = -1};
        z->in_force = in_force(&a->zones[i].valid, ev->start_s, ev->end_s);
        if (z->in_force && ev->has_location && st == TRUCE_OK)
            st = truce_zone_locate(c->zones[i], ev->lon, ev->lat, ev->radius_m, &z->position,
                                   &z->boundary_m);
        else if (z->in_force)
            z->position = TRUCE_POS_UNCERTAIN; /* no location: could be anywhere */
    }
    for (size_t i = 0; i < a->ncorridors; i++) {
        truce_corridor_verdict *v = &c->cv[i];
        *v = (truce_corridor_verdict){.corridor = &a->corridors[i],
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

    /* Judge every rule without words, then write the reason of the one
     * reported (formatting reasons was a third of the time). */
    int best = NO, best_any = NO;
    size_t best_rule = SIZE_MAX, first_no = SIZE_MAX;
    for (size_t i = 0; i < a->nrules; i++) {
        int no_phase;
        int o = rule_outcome(c, ev, out->phase, &a->rules[i], NULL, 0, &no_phase);
        if (no_phase > best_any)
            best_any = no_phase;
        if (o > best) {
            best = o;
            best_rule = i;
            if (best == YES)
                break;
        } else if (o == NO && first_no == SIZE_MAX) {
            first_no = i;
        }
    }
    int ignored;
    if (best_rule != SIZE_MAX) {
        out->rule = &a->rules[best_rule];
        rule_outcome(c, ev, out->phase, out->rule, out->reason, sizeof out->reason, &ignored);
    }
    out->violation = best == YES     ? TRUCE_VIOLATION_YES
                     : best == MAYBE ? TRUCE_VIOLATION_POSSIBLE
                                     : TRUCE_VIOLATION_NONE;
    out->any_phase = best_any == YES     ? TRUCE_VIOLATION_YES
                     : best_any == MAYBE ? TRUCE_VIOLATION_POSSIBLE
                                         : TRUCE_VIOLATION_NONE;
    if (best == NO) {
        if (first_no != SIZE_MAX) {
            char why[sizeof out->reason];
            rule_outcome(c, ev, out->phase, &a->rules[first_no], why, sizeof why, &ignored);
            snprintf(out->reason, sizeof out->reason, "no rule broken (rule %.60s: %.230s)",
                     a->rules[first_no].id, why);
        } else {
            snprintf(out->reason, sizeof out->reason, "the agreement has no rules");
        }
    }
    return TRUCE_OK;
}
