/* Writing events with their verdicts: see verdict_write.h. */
#include "truce/verdict_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/json_escape.h"
#include "truce/decimal.h"
#include "truce/tz.h"

/* CSV rows carry at most this many extra columns (the verdict's members,
 * a column per zone, four per corridor); zones and corridors past it are
 * left out. */
enum { MAX_EXTRAS = 64 };

typedef struct key_at {
    size_t at, len;
} key_at;

struct truce_verdict_writer {
    FILE *out;
    truce_verdict_format format;
    const truce_agreement *a;
    truce_event_writer *w; /* NULL for the table */
    int header_done;       /* the table's */
    /* JSON: the zones', the corridors' then the rules' ids as JSON strings
     * ("\"m4\"", escaped once rather than for every event), in id_keys. */
    key_at *id_key;
    truce_text id_keys;
    size_t id_keys_max; /* the zones' and corridors' total length */
    /* CSV: the zone and corridor column names, NUL-terminated, in order. */
    truce_text columns;
    const char *column[MAX_EXTRAS];
    size_t ncolumns;
    truce_text scratch; /* truce_verdict_write's own prepare, without a judge's */
};

static const char *side_name(truce_side s)
{
    return s == TRUCE_SIDE_LEFT ? "L" : "R";
}

/* Append a JSON string literal of s (ids are the agreement's, but may hold
 * anything), with the library's one escaper. */
static truce_status make_id_keys(truce_verdict_writer *w)
{
    const truce_agreement *a = w->a;
    size_t nplaces = a->nzones + a->ncorridors, n = nplaces + a->nrules;
    if (!(w->id_key = trc_calloc(n ? n : 1, sizeof *w->id_key)))
        return TRUCE_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *id = i < a->nzones ? a->zones[i].id
                         : i < nplaces ? a->corridors[i - a->nzones].id
                                       : a->rules[i - nplaces].id;
        w->id_key[i].at = w->id_keys.len;
        if (trc_json_escape_text(&w->id_keys, id))
            return TRUCE_E_NOMEM;
        w->id_key[i].len = w->id_keys.len - w->id_key[i].at;
        if (i < nplaces)
            w->id_keys_max += w->id_key[i].len;
    }
    return TRUCE_OK;
}

/* The verdict's members before response_to. */
enum { NHEAD = 5 };

/* Append a column name made of three parts, with its NUL. */
static truce_status column_name(truce_text *t, const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *o = truce_text_room(t, la + lb + lc + 1);
    if (!o)
        return TRUCE_E_NOMEM;
    memcpy(o, a, la);
    memcpy(o + la, b, lb);
    memcpy(o + la + lb, c, lc + 1);
    t->len += la + lb + lc + 1;
    return TRUCE_OK;
}

/* The CSV columns after the verdict's members, response_to and rules: two
 * columns per zone and five per corridor, as many as fit. */
static truce_status make_columns(truce_verdict_writer *w)
{
    static const char *const suffix[5] = {".distance_m", ".chainage_m", ".side", ".position",
                                          ".fraction_inside"};
    const truce_agreement *a = w->a;
    size_t at[MAX_EXTRAS], n = NHEAD + 2, first = n;
    for (size_t i = 0; i < a->nzones && n + 2 <= MAX_EXTRAS; i++) {
        at[n++] = w->columns.len;
        if (column_name(&w->columns, "zone.", a->zones[i].id, ""))
            return TRUCE_E_NOMEM;
        at[n++] = w->columns.len;
        if (column_name(&w->columns, "zone.", a->zones[i].id, ".fraction_inside"))
            return TRUCE_E_NOMEM;
    }
    for (size_t i = 0; i < a->ncorridors && n + 5 <= MAX_EXTRAS; i++)
        for (int k = 0; k < 5; k++) {
            at[n++] = w->columns.len;
            if (column_name(&w->columns, "corridor.", a->corridors[i].id, suffix[k]))
                return TRUCE_E_NOMEM;
        }
    for (size_t k = first; k < n; k++)
        w->column[k - first] = w->columns.p + at[k];
    w->ncolumns = n - first;
    return TRUCE_OK;
}

truce_status truce_verdict_writer_new(FILE *out, truce_verdict_format format,
                                      const truce_agreement *agreement, truce_verdict_writer **w)
{
    if (!w)
        return TRUCE_E_ARG;
    *w = NULL;
    if (!out || !agreement || (unsigned)format > TRUCE_VERDICT_GEOJSON)
        return TRUCE_E_ARG;
    truce_verdict_writer *v = trc_calloc(1, sizeof *v);
    if (!v)
        return TRUCE_E_NOMEM;
    v->out = out;
    v->format = format;
    v->a = agreement;
    truce_status st = TRUCE_OK;
    if (format != TRUCE_VERDICT_TABLE) {
        truce_event_output k = format == TRUCE_VERDICT_CSV       ? TRUCE_OUTPUT_CSV
                               : format == TRUCE_VERDICT_GEOJSON ? TRUCE_OUTPUT_GEOJSON
                                                                 : TRUCE_OUTPUT_JSONL;
        st = truce_event_writer_new(out, k, &v->w);
        if (!st)
            st = format == TRUCE_VERDICT_CSV ? make_columns(v) : make_id_keys(v);
    }
    if (st) {
        truce_verdict_writer_free(v);
        return st;
    }
    *w = v;
    return TRUCE_OK;
}

/* Append n bytes at o; returns the end. */
static char *put_at(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

/* Room for any double's "%.4f" text with its NUL (DBL_MAX has 309
 * digits). */
#define FIXED4_ROOM 320

/* "%.4f" of x at o, which has FIXED4_ROOM bytes (truce_decimal_fixed:
 * printf's text, a tenth of its time); returns the end. */
static char *fixed4_at(char *o, double x)
{
    int n = truce_decimal_fixed(x, 4, o, FIXED4_ROOM);
    return o + (n > 0 ? n : 0);
}

/* A fraction (classify.h) as JSON: "%.4f", or null for NaN.  A place wholly
 * inside or outside (most of them: 70% of the fractions on the scattered
 * bench file) is 1 or 0 exactly, written without truce_decimal_fixed. */
static char *fraction_at(char *o, double x)
{
    if (isnan(x))
        return put_at(o, "null", 4);
    if (x == 1)
        return put_at(o, "1.0000", 6);
    if (x == 0 && !signbit(x))
        return put_at(o, "0.0000", 6);
    return fixed4_at(o, x);
}

/* A JSON string of s[0, n) at o, which has room for JSON_ESCAPE_MAX(n) + 2
 * bytes; returns the end. */
static char *json_string_at(char *o, const char *s, size_t n)
{
    *o++ = '"';
    o += trc_json_escape(o, s, n);
    *o++ = '"';
    return o;
}

/* The id of `rule` as a JSON string escaped once (make_id_keys), or NULL
 * when the rule is not one of the writer's agreement's. */
static const char *rule_key(const truce_verdict_writer *w, const truce_rule *rule, size_t *len)
{
    const truce_agreement *a = w->a;
    if (rule < a->rules || rule >= a->rules + a->nrules)
        return NULL;
    const key_at *k = &w->id_key[a->nzones + a->ncorridors + (size_t)(rule - a->rules)];
    *len = k->len;
    return w->id_keys.p + k->at;
}

/* A rule's id as a JSON string at o (room for JSON_ESCAPE_MAX of its length
 * + 2); returns the end. */
static char *rule_id_at(const truce_verdict_writer *w, char *o, const truce_rule *rule)
{
    size_t len;
    const char *key = rule_key(w, rule, &len);
    return key ? put_at(o, key, len) : json_string_at(o, rule->id, strlen(rule->id));
}

/* The rules the event breaks or may break (`rules`) as a JSON array of
 * {"rule","verdict","reason"} objects, each written straight into room
 * reserved for it (appended piece by piece, they were 2% of a one-thread
 * classify's instructions).  A rule's reason that is the verdict's own is
 * copied from what verdict_members escaped, t->p[reason_at, +reason_len). */
static truce_status rules_json(const truce_verdict_writer *w, truce_text *t, const truce_verdict *v,
                               size_t reason_at, size_t reason_len)
{
    static const char rule_k[] = "{\"rule\":", verdict_k[] = ",\"verdict\":\"",
                      reason_k[] = "\",\"reason\":";
    if (!truce_text_room(t, 2))
        return TRUCE_E_NOMEM;
    t->p[t->len++] = '[';
    for (size_t k = 0; k < v->nrules; k++) {
        const truce_rule_verdict *r = &v->rules[k];
        const char *verdict = truce_violation_name(r->violation);
        int same = !strcmp(r->reason, v->reason);
        size_t lv = strlen(verdict), lw = same ? 0 : strlen(r->reason);
        size_t most = sizeof rule_k + sizeof verdict_k + sizeof reason_k + lv + 4 +
                      JSON_ESCAPE_MAX(strlen(r->rule->id)) + JSON_ESCAPE_MAX(lw) + reason_len;
        char *o = truce_text_room(t, most);
        if (!o)
            return TRUCE_E_NOMEM;
        char *start = o;
        if (k)
            *o++ = ',';
        o = put_at(o, rule_k, sizeof rule_k - 1);
        o = rule_id_at(w, o, r->rule);
        o = put_at(o, verdict_k, sizeof verdict_k - 1);
        o = put_at(o, verdict, lv);
        o = put_at(o, reason_k, sizeof reason_k - 1);
        o = same ? put_at(o, t->p + reason_at, reason_len) : json_string_at(o, r->reason, lw);
        *o++ = '}';
        t->len += (size_t)(o - start);
    }
    return truce_text_append(t, "]", 1);
}

/* The verdict's members after response_to, as JSON members each with its
 * leading comma (truce_event_write_head's tail), appended to t with a NUL:
 * ,"rules":[...] (rules_json), then written straight into room reserved
 * once ,"zones":{"zone-id":"inside",...},"zones_fraction_inside":{"zone-id":
 * fraction,...},"corridors":{"corridor-id":{...},...}. */
static truce_status verdict_json(const truce_verdict_writer *w, truce_text *t,
                                 const truce_verdict *v, size_t reason_at, size_t reason_len)
{
    static const char rules[] = ",\"rules\":", zones[] = ",\"zones\":{",
                      fractions[] = "},\"zones_fraction_inside\":{",
                      corridors[] = "},\"corridors\":{";
    truce_status st = truce_text_append(t, rules, sizeof rules - 1);
    if (st || (st = rules_json(w, t, v, reason_at, reason_len)))
        return st;
    /* The keys; the ids; per zone a comma, ':"', the longest position and
     * '"'; per corridor the members' names and punctuation (66 bytes), two
     * numbers and the longest position; the braces and the NUL. */
    size_t most = sizeof zones + sizeof fractions + sizeof corridors + 2 * w->id_keys_max + 4 +
                  v->nzones * (20 + FIXED4_ROOM) + v->ncorridors * (120 + 3 * FIXED4_ROOM);
    char *o = truce_text_room(t, most);
    if (!o)
        return TRUCE_E_NOMEM;
    char *start = o;
    o = put_at(o, zones, sizeof zones - 1);
    for (size_t i = 0, n = 0; i < v->nzones; i++) {
        const truce_zone_verdict *z = &v->zones[i];
        if (!z->in_force)
            continue;
        const char *pos = truce_position_name(z->position);
        if (n++)
            *o++ = ',';
        o = put_at(o, w->id_keys.p + w->id_key[i].at, w->id_key[i].len);
        o = put_at(o, ":\"", 2);
        o = put_at(o, pos, strlen(pos));
        *o++ = '"';
    }
    o = put_at(o, fractions, sizeof fractions - 1);
    for (size_t i = 0, n = 0; i < v->nzones; i++) {
        const truce_zone_verdict *z = &v->zones[i];
        if (!z->in_force)
            continue;
        if (n++)
            *o++ = ',';
        o = put_at(o, w->id_keys.p + w->id_key[i].at, w->id_key[i].len);
        *o++ = ':';
        o = fraction_at(o, z->fraction_inside);
    }
    o = put_at(o, corridors, sizeof corridors - 1);
    for (size_t i = 0, n = 0; i < v->ncorridors; i++) {
        const truce_corridor_verdict *cv = &v->corridors[i];
        if (!cv->in_force)
            continue;
        const char *pos = truce_position_name(cv->position);
        const key_at *k = &w->id_key[v->nzones + i];
        if (n++)
            *o++ = ',';
        o = put_at(o, w->id_keys.p + k->at, k->len);
        if (isnan(cv->distance_m)) {
            static const char none[] =
                ":{\"distance_m\":null,\"chainage_m\":null,\"side\":null,\"position\":\"";
            o = put_at(o, none, sizeof none - 1);
        } else {
            static const char d[] = ":{\"distance_m\":", ch[] = ",\"chainage_m\":",
                              side[] = ",\"side\":\"", posk[] = "\",\"position\":\"";
            o = put_at(o, d, sizeof d - 1);
            o = fixed4_at(o, cv->distance_m);
            o = put_at(o, ch, sizeof ch - 1);
            o = fixed4_at(o, cv->chainage_m);
            o = put_at(o, side, sizeof side - 1);
            *o++ = *side_name(cv->side);
            o = put_at(o, posk, sizeof posk - 1);
        }
        o = put_at(o, pos, strlen(pos));
        o = put_at(o, "\",\"fraction_inside\":", 20);
        o = fraction_at(o, cv->fraction_inside);
        *o++ = '}';
    }
    o = put_at(o, "}", 2); /* with the NUL */
    t->len += (size_t)(o - start);
    return TRUCE_OK;
}

/* The same for CSV, one field: "ID:VERDICT" per rule, joined by ';' (empty
 * for none).  An id's '%' and ';' are written "%25" and "%3B", so that
 * splitting at ';' and then at the last ':' always gives the ids back. */
static truce_status rules_csv(truce_text *t, const truce_verdict *v)
{
    truce_status st = TRUCE_OK;
    for (size_t k = 0; k < v->nrules && !st; k++) {
        const truce_rule_verdict *r = &v->rules[k];
        const char *verdict = truce_violation_name(r->violation);
        if (k)
            st = truce_text_append(t, ";", 1);
        for (const char *id = r->rule->id; *id && !st;) {
            size_t n = strcspn(id, "%;");
            st = truce_text_append(t, id, n);
            id += n;
            if (*id && !st)
                st = truce_text_append(t, *id++ == '%' ? "%25" : "%3B", 3);
        }
        if (!st)
            st = truce_text_append(t, ":", 1);
        if (!st)
            st = truce_text_append(t, verdict, strlen(verdict));
    }
    return st ? st : truce_text_append(t, "", 1); /* the NUL */
}

/* The verdict's members up to local_start, into ex[NHEAD]. */
static void verdict_extras(const truce_verdict *v, const char *local, truce_extra ex[NHEAD])
{
    ex[0] = (truce_extra){"phase", TRUCE_EXTRA_STRING, truce_phase_name(v->phase), 0};
    ex[1] = (truce_extra){"violation", TRUCE_EXTRA_STRING, truce_violation_name(v->violation), 0};
    ex[2] = (truce_extra){"rule", v->rule ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                          v->rule ? v->rule->id : NULL, 0};
    ex[3] = (truce_extra){"reason", TRUCE_EXTRA_STRING, v->reason, 0};
    ex[4] = (truce_extra){"local_start", TRUCE_EXTRA_STRING, local, 0};
}

/* The verdict's members up to local_start (verdict_extras' keys and values,
 * written as truce_event_format_head would write them as extras) appended
 * to t, written straight into room reserved once: as extras, each member's
 * key was measured and escaped for every event, 4.7% of a one-thread
 * classify's instructions (callgrind, 100,000 scattered events).  Phase and
 * verdict names are plain lower-case words (classify.c), and `local`
 * truce_tz_format_local's digits and signs, so they need no escaping.  The
 * reason's JSON string is left at t->p[*reason_at, + *reason_len) for
 * rules_json. */
static truce_status verdict_members(const truce_verdict_writer *w, truce_text *t,
                                    const truce_verdict *v, const char *local, size_t *reason_at,
                                    size_t *reason_len)
{
    static const char phase_k[] = ",\"phase\":\"", violation_k[] = "\",\"violation\":\"",
                      rule_k[] = "\",\"rule\":", reason_k[] = ",\"reason\":",
                      local_k[] = ",\"local_start\":";
    const char *phase = truce_phase_name(v->phase), *violation = truce_violation_name(v->violation);
    const char *rule = v->rule ? v->rule->id : NULL;
    size_t lp = strlen(phase), lv = strlen(violation), lr = rule ? strlen(rule) : 0;
    size_t lw = strlen(v->reason), ll = strlen(local);
    char *o =
        truce_text_room(t, sizeof phase_k + sizeof violation_k + sizeof rule_k + sizeof reason_k +
                               sizeof local_k + lp + lv + 4 + JSON_ESCAPE_MAX(lr + lw + ll) + 6);
    if (!o)
        return TRUCE_E_NOMEM;
    char *start = o;
    o = put_at(o, phase_k, sizeof phase_k - 1);
    o = put_at(o, phase, lp);
    o = put_at(o, violation_k, sizeof violation_k - 1);
    o = put_at(o, violation, lv);
    o = put_at(o, rule_k, sizeof rule_k - 1);
    o = rule ? rule_id_at(w, o, v->rule) : put_at(o, "null", 4);
    o = put_at(o, reason_k, sizeof reason_k - 1);
    *reason_at = (size_t)(o - t->p);
    o = json_string_at(o, v->reason, lw);
    *reason_len = (size_t)(o - t->p) - *reason_at;
    o = put_at(o, local_k, sizeof local_k - 1);
    *o++ = '"';
    o = put_at(o, local, ll);
    *o++ = '"';
    *o = '\0';
    t->len += (size_t)(o - start);
    return TRUCE_OK;
}

/* For CSV: the event's local start time, then its rules field, each
 * NUL-terminated.  For JSON Lines and GeoJSON: the lengths of the two
 * pieces that follow (size_t[2], copied in as bytes), the head of the
 * event's record (truce_event_format_head's, then verdict_members: everything
 * up to local_start) and the members after response_to (verdict_json), each
 * NUL-terminated;
 * truce_verdict_write writes the head, response_to, which only input order
 * can tell, and the rest, without measuring or re-reading either piece.
 * Formatting here, apart from the in-order work, lets several threads share
 * it (docs/performance.md, "Classify"). */
truce_status truce_verdict_prepare(const void *writer, const truce_event *ev,
                                   const truce_verdict *v, truce_text *t)
{
    const truce_verdict_writer *w = writer;
    if (w->format == TRUCE_VERDICT_TABLE)
        return truce_text_append(t, "", 0);
    char local[26];
    truce_tz_format_local(w->a->tz, ev->start_s, local);
    if (w->format == TRUCE_VERDICT_CSV) {
        truce_status st = truce_text_append(t, local, strlen(local) + 1);
        return st ? st : rules_csv(t, v);
    }
    size_t len[2], at = t->len;
    if (!truce_text_room(t, sizeof len))
        return TRUCE_E_NOMEM;
    t->len += sizeof len;
    size_t from = t->len;
    truce_status st = truce_event_format_head(
        w->format == TRUCE_VERDICT_GEOJSON ? TRUCE_OUTPUT_GEOJSON : TRUCE_OUTPUT_JSONL, ev, NULL, 0,
        &t->p, &t->len, &t->cap);
    size_t reason_at, reason_len;
    if (st || (st = verdict_members(w, t, v, local, &reason_at, &reason_len)))
        return st;
    len[0] = t->len - from;
    from = ++t->len; /* past the NUL */
    if ((st = verdict_json(w, t, v, reason_at, reason_len)))
        return st;
    len[1] = t->len - from - 1;
    memcpy(t->p + at, len, sizeof len);
    return TRUCE_OK;
}

/* `text` is what truce_verdict_prepare made. */
static truce_status write_structured(truce_verdict_writer *w, const truce_judged *d,
                                     const char *text)
{
    const truce_verdict *v = d->verdict;
    truce_extra ex[MAX_EXTRAS];
    truce_extra response = {"response_to", d->response_to ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                            d->response_to, 0};
    if (w->format != TRUCE_VERDICT_CSV) {
        size_t len[2];
        memcpy(len, text, sizeof len);
        const char *head = text + sizeof len, *tail = head + len[0] + 1;
        return truce_event_write_head(w->w, head, len[0], &response, 1, tail, len[1]);
    }
    size_t n = NHEAD, c = 0;
    const char *rules = text + strlen(text) + 1;
    verdict_extras(v, text, ex);
    ex[n++] = response;
    ex[n++] = (truce_extra){"rules", *rules ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL, rules, 0};
    for (size_t i = 0; i < v->nzones && n + 2 <= MAX_EXTRAS; i++) {
        const truce_zone_verdict *z = &v->zones[i];
        ex[n++] = (truce_extra){w->column[c++], z->in_force ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                                truce_position_name(z->position), 0};
        ex[n++] = (truce_extra){w->column[c++], TRUCE_EXTRA_NUMBER, NULL, z->fraction_inside};
    }
    for (size_t i = 0; i < v->ncorridors && n + 5 <= MAX_EXTRAS; i++) {
        const truce_corridor_verdict *cv = &v->corridors[i];
        int has = cv->in_force && !isnan(cv->distance_m);
        ex[n++] = (truce_extra){w->column[c++], has ? TRUCE_EXTRA_NUMBER : TRUCE_EXTRA_NULL, NULL,
                                cv->distance_m};
        ex[n++] = (truce_extra){w->column[c++], has ? TRUCE_EXTRA_NUMBER : TRUCE_EXTRA_NULL, NULL,
                                cv->chainage_m};
        ex[n++] = (truce_extra){w->column[c++], has ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                                side_name(cv->side), 0};
        ex[n++] =
            (truce_extra){w->column[c++], cv->in_force ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                          truce_position_name(cv->position), 0};
        ex[n++] = (truce_extra){w->column[c++], TRUCE_EXTRA_NUMBER, NULL, cv->fraction_inside};
    }
    return truce_event_write_extra(w->w, d->event, ex, n);
}

static truce_status write_table_row(truce_verdict_writer *w, const truce_judged *d)
{
    const truce_event *ev = d->event;
    const truce_verdict *v = d->verdict;
    if (!w->header_done) {
        fprintf(w->out, "%-14s %-23s %-6s %-9s %-22s %s\n", "id", "when (local)", "phase",
                "verdict", "rule", "reason");
        w->header_done = 1;
    }
    char when[64];
    truce_event_when_local(w->a->tz, ev, when, sizeof when);
    fprintf(w->out, "%-14.14s %-23.23s %-6s %-9s %-22.22s %s", ev->id, when,
            truce_phase_name(v->phase), truce_violation_name(v->violation),
            v->rule ? v->rule->id : "-", v->reason);
    for (size_t k = 0; k < v->nrules; k++)
        if (v->rules[k].rule != v->rule)
            fprintf(w->out, "; also %s (%s)", v->rules[k].rule->id,
                    truce_violation_name(v->rules[k].violation));
    if (d->response_to)
        fprintf(w->out, "; response to %s (%.1f h later, %.1f km away)", d->response_to,
                d->response_delay_s / 3600, d->response_distance_m / 1000);
    fputc('\n', w->out);
    return ferror(w->out) ? TRUCE_E_IO : TRUCE_OK;
}

truce_status truce_verdict_write(truce_verdict_writer *w, const truce_judged *judged)
{
    if (w->format == TRUCE_VERDICT_TABLE)
        return write_table_row(w, judged);
    const char *text = judged->text;
    if (!text) {
        w->scratch.len = 0;
        truce_status st = truce_verdict_prepare(w, judged->event, judged->verdict, &w->scratch);
        if (st)
            return st;
        text = w->scratch.p;
    }
    return write_structured(w, judged, text);
}

truce_status truce_verdict_writer_free(truce_verdict_writer *w)
{
    if (!w)
        return TRUCE_OK;
    truce_status st = w->w ? truce_event_writer_free(w->w) : TRUCE_OK;
    if (w->format == TRUCE_VERDICT_TABLE && fflush(w->out))
        st = TRUCE_E_IO;
    trc_free(w->id_key);
    truce_text_release(&w->id_keys);
    truce_text_release(&w->columns);
    truce_text_release(&w->scratch);
    trc_free(w);
    return st;
}
