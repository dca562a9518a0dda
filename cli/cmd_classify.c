/* truce classify: judge every event against the agreement (docs/classify.md). */
#include <getopt.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_judge.h"
#include "truce/decimal.h"
#include "truce/response.h"

static const char *const SUB = "classify";

static const char *const usage_text =
    "usage: truce classify [options] AGREEMENT EVENTS...\n"
    "\n"
    "Judge every event against the agreement as it stood at the event's time:\n"
    "the phase (before, after, or spans the ceasefire), its position against\n"
    "every zone and corridor (inside, outside, or uncertain where the report's\n"
    "own precision straddles the boundary; distance, chainage and side for\n"
    "corridors), and the verdict: violation, possible or none, with the rule and\n"
    "a reason.  EVENTS are ACLED CSV, UCDP GED CSV, GeoJSON or JSON Lines files\n"
    "(\"-\" is stdin); dates are local days in the agreement's time zone.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT        table (the default on a terminal), jsonl (the\n"
    "                          default otherwise), csv or geojson\n"
    "  -o, --output FILE       write to FILE instead of stdout\n"
    "      --response-window H, --response-distance KM\n"
    "                          link an event by a party to an attack on it by another\n"
    "                          party at most H hours earlier (default 24) and KM km\n"
    "                          away (default 25): response_to\n" CLI_JUDGE_HELP
    "  -h, --help              show this help\n"
    "\n"
    "jsonl lines are truce's normalised events (docs/events.md) with the verdict\n"
    "added (phase, violation, rule, reason, local_start, response_to, zones,\n"
    "corridors), so truce events reads them back.  geojson is a FeatureCollection\n"
    "of Point features (null geometry without a location) for QGIS.  A summary\n"
    "line goes to stderr.\n"
    "\n"
    "exit status: 0 ok, 2 usage, 3 invalid agreement or rejected rows (every\n"
    "accepted row is still judged), 4 I/O\n";

typedef enum { OUT_TABLE, OUT_JSONL, OUT_CSV, OUT_GEOJSON } out_kind;

/* The --format names, in out_kind's order. */
static const char *const out_kind_names[] = {"table", "jsonl", "csv", "geojson", NULL};

typedef struct id_key_at {
    size_t at, len;
} id_key_at;

typedef struct classify_ctx {
    truce_responder *responder;
    const char *response_to; /* this event's, from the responder */
    double response_delay_s, response_m;
    out_kind kind;
    FILE *out;
    truce_event_writer *w;
    const truce_agreement *a;
    cli_text keys; /* CSV: the zone and corridor column names */
    int header_done;
    /* JSON: the zones' then the corridors' ids as JSON strings, in id_keys */
    id_key_at *id_key;
    cli_text id_keys;
    size_t id_keys_max; /* their total length */
} classify_ctx;

static const char *side_name(truce_side s)
{
    return s == TRUCE_SIDE_LEFT ? "L" : "R";
}

/* Append printf output to t. */
static int text_printf(cli_text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int text_printf(cli_text *t, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof small)
        return cli_text_put(t, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = cli_text_put(t, big, (size_t)n);
    free(big);
    return rc;
}

/* A JSON string literal of an id (ids are the agreement's, but may hold
 * anything): escape quotes, backslashes and control characters. */
static int text_json_string(cli_text *t, const char *s)
{
    int bad = cli_text_put(t, "\"", 1);
    while (*s && !bad) {
        size_t run = strcspn(s, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
                                "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
        bad |= cli_text_put(t, s, run);
        s += run;
        if (*s) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned char)*s++);
            bad |= cli_text_put(t, esc, 6);
        }
    }
    return bad | cli_text_put(t, "\"", 1);
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

/* Make the JSON keys of the agreement's zones and corridors ("\"m4\"",
 * escaped once rather than for every event).  0, or -1 when out of memory. */
static int make_id_keys(classify_ctx *c)
{
    const truce_agreement *a = c->a;
    size_t n = a->nzones + a->ncorridors;
    if (!(c->id_key = calloc(n ? n : 1, sizeof *c->id_key)))
        return -1;
    cli_text *t = &c->id_keys;
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        const char *id = i < a->nzones ? a->zones[i].id : a->corridors[i - a->nzones].id;
        c->id_key[i].at = t->len;
        bad |= text_json_string(t, id);
        c->id_key[i].len = t->len - c->id_key[i].at;
        c->id_keys_max += c->id_key[i].len;
    }
    return bad ? -1 : 0;
}

/* {"zone-id":"inside",...} then, after a NUL, {"corridor-id":{...},...},
 * then a NUL; written straight into room reserved once. */
static int verdict_json(const classify_ctx *c, cli_text *t, const truce_verdict *v)
{
    /* The ids; per zone a comma, ':"', the longest position and '"'; per
     * corridor the members' names and punctuation (66 bytes), two numbers
     * and the longest position; the braces and NULs. */
    size_t most = c->id_keys_max + 8 + v->nzones * 16 + v->ncorridors * (96 + 2 * FIXED4_ROOM);
    char *o = cli_text_room(t, most);
    if (!o)
        return -1;
    char *start = o;
    *o++ = '{';
    for (size_t i = 0, n = 0; i < v->nzones; i++) {
        const truce_zone_verdict *z = &v->zones[i];
        if (!z->in_force)
            continue;
        const char *pos = truce_position_name(z->position);
        if (n++)
            *o++ = ',';
        o = put_at(o, c->id_keys.p + c->id_key[i].at, c->id_key[i].len);
        o = put_at(o, ":\"", 2);
        o = put_at(o, pos, strlen(pos));
        *o++ = '"';
    }
    o = put_at(o, "}", 2); /* with the NUL */
    *o++ = '{';
    for (size_t i = 0, n = 0; i < v->ncorridors; i++) {
        const truce_corridor_verdict *cv = &v->corridors[i];
        if (!cv->in_force)
            continue;
        const char *pos = truce_position_name(cv->position);
        const id_key_at *k = &c->id_key[v->nzones + i];
        if (n++)
            *o++ = ',';
        o = put_at(o, c->id_keys.p + k->at, k->len);
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
        o = put_at(o, "\"}", 2);
    }
    o = put_at(o, "}", 2); /* with the NUL */
    t->len += (size_t)(o - start);
    return 0;
}

/* The verdict's members up to local_start, into ex[5]. */
static void verdict_extras(const truce_verdict *v, const char *local, truce_extra ex[5])
{
    ex[0] = (truce_extra){"phase", TRUCE_EXTRA_STRING, truce_phase_name(v->phase), 0};
    ex[1] = (truce_extra){"violation", TRUCE_EXTRA_STRING, truce_violation_name(v->violation), 0};
    ex[2] = (truce_extra){"rule", v->rule ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                          v->rule ? v->rule->id : NULL, 0};
    ex[3] = (truce_extra){"reason", TRUCE_EXTRA_STRING, v->reason, 0};
    ex[4] = (truce_extra){"local_start", TRUCE_EXTRA_STRING, local, 0};
}

/* On a judging thread (cli_judge.h).  For CSV: the event's local start
 * time.  For JSON Lines and GeoJSON: the zones and corridors objects, then
 * the head of the event's record (truce_event_format_head: everything up to
 * local_start), each NUL-terminated; the callback adds response_to, which
 * only input order can tell, and the rest.  Formatting here, apart from the
 * in-order work, let several threads share it (docs/performance.md,
 * "Classify"). */
static int prepare(const void *ctx, const truce_event *ev, const truce_verdict *v, cli_text *t)
{
    const classify_ctx *c = ctx;
    if (c->kind == OUT_TABLE)
        return EXIT_OK;
    char local[26];
    truce_tz_format_local(c->a->tz, ev->start_s, local);
    if (c->kind == OUT_CSV)
        return cli_text_put(t, local, strlen(local) + 1) ? EXIT_FAILURE_ : EXIT_OK;
    if (verdict_json(c, t, v))
        return EXIT_FAILURE_;
    truce_extra ex[5];
    verdict_extras(v, local, ex);
    truce_status st =
        truce_event_format_head(c->kind == OUT_GEOJSON ? TRUCE_OUTPUT_GEOJSON : TRUCE_OUTPUT_JSONL,
                                ev, ex, 5, &t->p, &t->len, &t->cap);
    if (st == TRUCE_OK)
        t->len++; /* past the NUL */
    return st == TRUCE_OK ? EXIT_OK : EXIT_FAILURE_;
}

/* `text` is what prepare made. */
static int write_structured(classify_ctx *c, const truce_event *ev, const truce_verdict *v,
                            const char *text)
{
    truce_extra ex[64];
    truce_extra tail[3];
    truce_status st;
    if (c->kind != OUT_CSV) {
        const char *zones = text;
        const char *corridors = zones + strlen(zones) + 1;
        const char *head = corridors + strlen(corridors) + 1;
        tail[0] =
            (truce_extra){"response_to", c->response_to ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                          c->response_to, 0};
        tail[1] = (truce_extra){"zones", TRUCE_EXTRA_JSON, zones, 0};
        tail[2] = (truce_extra){"corridors", TRUCE_EXTRA_JSON, corridors, 0};
        st = truce_event_write_head(c->w, head, strlen(head), tail, 3);
    } else {
        size_t n = 5;
        verdict_extras(v, text, ex);
        ex[n++] =
            (truce_extra){"response_to", c->response_to ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                          c->response_to, 0};
        /* CSV: a column per zone ("zone.ID") and four per corridor
         * ("corridor.ID.distance_m", ...).  Their names are built in the
         * scratch buffer, which may move while it grows, so the keys are
         * pointed into it once it is complete. */
        static const char *const suffix[4] = {"distance_m", "chainage_m", "side", "position"};
        size_t first = n, offs[64];
        cli_text *t = &c->keys;
        t->len = 0;
        for (size_t i = 0; i < v->nzones && n < 64; i++) {
            const truce_zone_verdict *z = &v->zones[i];
            offs[n] = t->len;
            if (text_printf(t, "zone.%s", z->zone->id) || cli_text_put(t, "", 1))
                return EXIT_FAILURE_;
            ex[n++] = (truce_extra){NULL, z->in_force ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                                    truce_position_name(z->position), 0};
        }
        for (size_t i = 0; i < v->ncorridors && n + 4 <= 64; i++) {
            const truce_corridor_verdict *cv = &v->corridors[i];
            int has = cv->in_force && !isnan(cv->distance_m);
            for (int k = 0; k < 4; k++) {
                offs[n + (size_t)k] = t->len;
                if (text_printf(t, "corridor.%s.%s", cv->corridor->id, suffix[k]) ||
                    cli_text_put(t, "", 1))
                    return EXIT_FAILURE_;
            }
            ex[n++] = (truce_extra){NULL, has ? TRUCE_EXTRA_NUMBER : TRUCE_EXTRA_NULL, NULL,
                                    cv->distance_m};
            ex[n++] = (truce_extra){NULL, has ? TRUCE_EXTRA_NUMBER : TRUCE_EXTRA_NULL, NULL,
                                    cv->chainage_m};
            ex[n++] = (truce_extra){NULL, has ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                                    side_name(cv->side), 0};
            ex[n++] = (truce_extra){NULL, cv->in_force ? TRUCE_EXTRA_STRING : TRUCE_EXTRA_NULL,
                                    truce_position_name(cv->position), 0};
        }
        for (size_t k = first; k < n; k++)
            ex[k].key = t->p + offs[k];
        st = truce_event_write_extra(c->w, ev, ex, n);
    }
    if (st) {
        cli_error(SUB, "writing: %s", truce_strerror(st));
        return EXIT_IO;
    }
    return EXIT_OK;
}

static int write_table_row(classify_ctx *c, const truce_event *ev, const truce_verdict *v)
{
    if (!c->header_done) {
        fprintf(c->out, "%-14s %-23s %-6s %-9s %-22s %s\n", "id", "when (local)", "phase",
                "verdict", "rule", "reason");
        c->header_done = 1;
    }
    char when[64];
    truce_event_when_local(c->a->tz, ev, when, sizeof when);
    fprintf(c->out, "%-14.14s %-23.23s %-6s %-9s %-22.22s %s", ev->id, when,
            truce_phase_name(v->phase), truce_violation_name(v->violation),
            v->rule ? v->rule->id : "-", v->reason);
    if (c->response_to)
        fprintf(c->out, "; response to %s (%.1f h later, %.1f km away)", c->response_to,
                c->response_delay_s / 3600, c->response_m / 1000);
    fputc('\n', c->out);
    return ferror(c->out) ? EXIT_IO : EXIT_OK;
}

static int on_verdict(void *ctx, const truce_event *ev, const truce_verdict *v, const char *text)
{
    classify_ctx *c = ctx;
    /* Responses follow input order: an attack links only to what came before. */
    if (truce_responder_link(c->responder, ev, v->any_phase != TRUCE_VIOLATION_NONE,
                             &c->response_to, &c->response_delay_s, &c->response_m) != TRUCE_OK) {
        cli_error(SUB, "out of memory");
        return EXIT_FAILURE_;
    }
    return c->kind == OUT_TABLE ? write_table_row(c, ev, v) : write_structured(c, ev, v, text);
}

int cmd_classify(int argc, char **argv)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"response-window", required_argument, NULL, 0x300},
                                             {"response-distance", required_argument, NULL, 0x301},
                                             {"help", no_argument, NULL, 'h'},
                                             CLI_JUDGE_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    const char *format = NULL, *output = NULL;
    double window_h = 24, distance_km = 25;
    cli_judge_opts jo = {0};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:hq", longopts, NULL)) != -1) {
        if (cli_judge_option(&jo, opt, optarg))
            continue;
        switch (opt) {
        case 'f':
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 0x300:
        case 0x301: {
            double x;
            if (cli_parse_double(optarg, 0, 1e6, &x) || x == 0) {
                cli_error(SUB, "--%s: \"%s\" is not a positive number",
                          opt == 0x300 ? "response-window" : "response-distance", optarg);
                return EXIT_USAGE;
            }
            *(opt == 0x300 ? &window_h : &distance_km) = x;
            break;
        }
        default:
            return cli_help_or_usage(opt, usage_text);
        }
    }
    classify_ctx c = {0};
    int kind;
    if (!format)
        kind = !output && isatty(STDOUT_FILENO) ? OUT_TABLE : OUT_JSONL;
    else if (cli_format_option(SUB, format, out_kind_names, &kind))
        return EXIT_USAGE;
    c.kind = (out_kind)kind;
    if (cli_operands(SUB, usage_text, argc, 2, -1, NULL))
        return EXIT_USAGE;
    if (truce_responder_new(window_h * 3600, distance_km * 1000, &c.responder) != TRUCE_OK) {
        cli_error(SUB, "out of memory");
        return EXIT_FAILURE_;
    }
    cli_judge j;
    cli_output out = {0};
    int status = cli_judge_open(&j, SUB, argv[optind], &jo);
    if (status == EXIT_OK) {
        c.a = j.agreement;
        status = cli_open_output(SUB, output, &out);
        c.out = out.f;
        if (status == EXIT_OK && c.kind != OUT_TABLE) {
            truce_event_output k = c.kind == OUT_CSV       ? TRUCE_OUTPUT_CSV
                                   : c.kind == OUT_GEOJSON ? TRUCE_OUTPUT_GEOJSON
                                                           : TRUCE_OUTPUT_JSONL;
            if (truce_event_writer_new(c.out, k, &c.w) != TRUCE_OK || make_id_keys(&c))
                status = EXIT_FAILURE_;
        }
    }
    if (status == EXIT_OK)
        status = cli_judge_run(&j, argv + optind + 1, argc - optind - 1, jo.quiet, prepare,
                               on_verdict, &c);
    if (c.w && truce_event_writer_free(c.w) != TRUCE_OK)
        status = cli_worse(status, EXIT_IO);
    status = cli_worse(status, cli_close_output(&out, cli_output_complete(status)));
    free(c.keys.p);
    free(c.id_keys.p);
    free(c.id_key);
    truce_responder_free(c.responder);
    return cli_judge_close(&j, status);
}
