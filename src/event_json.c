/* Writers of normalised events: JSON Lines through YAJL's generator, CSV
 * through libcsv's field quoting.  The schema (docs/events.md) is the table
 * below; JSON and CSV share it, and read_jsonl.c reads the same keys. */
#include <csv.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "truce/event.h"
#include "truce/time.h"

struct truce_event_writer {
    FILE *out;
    truce_event_output kind;
    yajl_gen gen;
    int failed;
    int header_done;
};

/* The columns, in output order. */
static const char *const columns[] = {"id",
                                      "format",
                                      "file",
                                      "line",
                                      "start",
                                      "end",
                                      "time_precision",
                                      "lon",
                                      "lat",
                                      "radius_m",
                                      "geo_precision",
                                      "event_type",
                                      "sub_event_type",
                                      "disorder_type",
                                      "violence_type",
                                      "actor1",
                                      "assoc_actor1",
                                      "actor2",
                                      "assoc_actor2",
                                      "fatalities",
                                      "fatalities_low",
                                      "fatalities_high",
                                      "country",
                                      "admin1",
                                      "admin2",
                                      "place",
                                      "notes",
                                      "sources"};

static void print_to_file(void *ctx, const char *s, size_t len)
{
    truce_event_writer *w = ctx;
    if (fwrite(s, 1, len, w->out) != len)
        w->failed = 1;
}

truce_status truce_event_writer_new(FILE *out, truce_event_output kind, truce_event_writer **wp)
{
    *wp = NULL;
    truce_event_writer *w = calloc(1, sizeof *w);
    if (!w)
        return TRUCE_E_NOMEM;
    w->out = out;
    w->kind = kind;
    if (kind == TRUCE_OUTPUT_JSONL) {
        w->gen = yajl_gen_alloc(NULL);
        if (!w->gen) {
            free(w);
            return TRUCE_E_NOMEM;
        }
        yajl_gen_config(w->gen, yajl_gen_print_callback, print_to_file, w);
    }
    *wp = w;
    return TRUCE_OK;
}

truce_status truce_event_writer_free(truce_event_writer *w)
{
    if (!w)
        return TRUCE_OK;
    int failed = w->failed || fflush(w->out) != 0 || ferror(w->out);
    if (w->gen)
        yajl_gen_free(w->gen);
    free(w);
    return failed ? TRUCE_E_IO : TRUCE_OK;
}

/* Shortest of %.15g, %.16g, %.17g that reads back to the same double. */
static int format_double(double v, char buf[32])
{
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return n;
}

typedef struct value {
    enum { V_NULL, V_STR, V_INT, V_DOUBLE } type;
    const char *s;
    int64_t i;
    double d;
} value;

/* The value of column k for event e. */
static value column(const truce_event *e, size_t k, char *tbuf)
{
    value v = {V_NULL, NULL, 0, 0};
#define STR(x) (v.type = (x) ? V_STR : V_NULL, v.s = (x))
#define INT(x) (v.type = V_INT, v.i = (x))
#define COUNT(x) ((x) >= 0 ? (void)INT(x) : (void)0)
#define CODE(x) ((x) > 0 ? (void)INT(x) : (void)0)
    switch (k) {
    case 0:
        STR(e->id);
        break;
    case 1:
        STR(truce_event_format_name(e->format));
        break;
    case 2:
        STR(e->file);
        break;
    case 3:
        CODE(e->line);
        break;
    case 4:
        truce_time_format_utc(e->start_s, tbuf);
        STR(tbuf);
        break;
    case 5:
        truce_time_format_utc(e->end_s, tbuf);
        STR(tbuf);
        break;
    case 6:
        CODE(e->time_precision);
        break;
    case 7:
        if (e->has_location) {
            v.type = V_DOUBLE;
            v.d = e->lon;
        }
        break;
    case 8:
        if (e->has_location) {
            v.type = V_DOUBLE;
            v.d = e->lat;
        }
        break;
    case 9:
        if (e->has_location) {
            v.type = V_DOUBLE;
            v.d = e->radius_m;
        }
        break;
    case 10:
        CODE(e->geo_precision);
        break;
    case 11:
        STR(e->event_type);
        break;
    case 12:
        STR(e->sub_event_type);
        break;
    case 13:
        STR(e->disorder_type);
        break;
    case 14:
        CODE(e->violence_type);
        break;
    case 15:
        STR(e->actor1);
        break;
    case 16:
        STR(e->assoc_actor1);
        break;
    case 17:
        STR(e->actor2);
        break;
    case 18:
        STR(e->assoc_actor2);
        break;
    case 19:
        COUNT(e->fatalities);
        break;
    case 20:
        COUNT(e->fatalities_low);
        break;
    case 21:
        COUNT(e->fatalities_high);
        break;
    case 22:
        STR(e->country);
        break;
    case 23:
        STR(e->admin1);
        break;
    case 24:
        STR(e->admin2);
        break;
    case 25:
        STR(e->place);
        break;
    case 26:
        STR(e->notes);
        break;
    case 27:
        STR(e->sources);
        break;
    default:
        break;
    }
#undef STR
#undef INT
#undef COUNT
#undef CODE
    return v;
}

static truce_status write_json(truce_event_writer *w, const truce_event *e)
{
    yajl_gen g = w->gen;
    char tbuf[21], num[32];
    int bad = yajl_gen_map_open(g) != yajl_gen_status_ok;
    for (size_t k = 0; k < sizeof columns / sizeof columns[0]; k++) {
        value v = column(e, k, tbuf);
        bad |= yajl_gen_string(g, (const unsigned char *)columns[k], strlen(columns[k])) !=
               yajl_gen_status_ok;
        yajl_gen_status gs = yajl_gen_status_ok;
        int n;
        switch (v.type) {
        case V_NULL:
            gs = yajl_gen_null(g);
            break;
        case V_STR:
            gs = yajl_gen_string(g, (const unsigned char *)v.s, strlen(v.s));
            break;
        case V_INT:
            n = snprintf(num, sizeof num, "%" PRId64, v.i);
            gs = yajl_gen_number(g, num, (size_t)n);
            break;
        case V_DOUBLE:
            n = format_double(v.d, num);
            gs = yajl_gen_number(g, num, (size_t)n);
            break;
        }
        bad |= gs != yajl_gen_status_ok;
    }
    bad |= yajl_gen_map_close(g) != yajl_gen_status_ok;
    yajl_gen_reset(g, NULL);
    if (fputc('\n', w->out) == EOF)
        w->failed = 1;
    if (bad)
        return TRUCE_E_INTERNAL;
    return w->failed ? TRUCE_E_IO : TRUCE_OK;
}

static truce_status write_csv(truce_event_writer *w, const truce_event *e)
{
    FILE *out = w->out;
    size_t ncol = sizeof columns / sizeof columns[0];
    if (!w->header_done) {
        for (size_t k = 0; k < ncol; k++) {
            fputs(columns[k], out);
            fputc(k + 1 < ncol ? ',' : '\n', out);
        }
        w->header_done = 1;
    }
    char tbuf[21], num[32];
    for (size_t k = 0; k < ncol; k++) {
        value v = column(e, k, tbuf);
        switch (v.type) {
        case V_NULL:
            break;
        case V_STR:
            if (csv_fwrite(out, v.s, strlen(v.s)) != 0)
                w->failed = 1;
            break;
        case V_INT:
            fprintf(out, "%" PRId64, v.i);
            break;
        case V_DOUBLE:
            format_double(v.d, num);
            fputs(num, out);
            break;
        }
        fputc(k + 1 < ncol ? ',' : '\n', out);
    }
    if (ferror(out))
        w->failed = 1;
    return w->failed ? TRUCE_E_IO : TRUCE_OK;
}

truce_status truce_event_write(truce_event_writer *w, const truce_event *e)
{
    return w->kind == TRUCE_OUTPUT_CSV ? write_csv(w, e) : write_json(w, e);
}
