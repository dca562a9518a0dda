/* truce — statistics: is the ceasefire holding?
 *
 * An accumulator takes each event with its verdict (classify.h) and keeps,
 * over a window of days before and after the ceasefire (30 each by default;
 * days are local calendar days in the agreement's time zone, day 0 the one
 * the ceasefire falls on... see docs/stats.md):
 * - per day: events, violations, possible violations, fatalities;
 * - the rate ratio of hostile events after / before the ceasefire with an
 *   exact conditional (Clopper-Pearson) confidence interval;
 * - breakdowns by party, event type, zone, corridor kilometre, day and rule
 *   (provision);
 * - the last violation.
 * Memory grows with the number of distinct breakdown keys, not of events.
 */
#ifndef TRUCE_STATS_H
#define TRUCE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "truce/classify.h"
#include "truce/status.h"

/* The exact conditional confidence interval of a rate ratio.
 *
 * k1 events over exposure t1 (after) and k0 over t0 (before).  Given
 * n = k0 + k1, k1 is Binomial(n, p) with p = t1 R / (t1 R + t0) for the rate
 * ratio R; a Clopper-Pearson interval [p_lo, p_hi] for p at `level` (e.g.
 * 0.95) maps to R = p / (1 - p) * t0 / t1.  *ratio is k1/t1 / (k0/t0)
 * (infinite when k0 is 0; the upper bound is then infinite too; the lower is
 * 0 when k1 is 0).  TRUCE_E_ARG for n = 0, non-positive exposures or a level
 * outside (0, 1). */
truce_status truce_rate_ratio_exact(uint64_t k1, double t1, uint64_t k0, double t0, double level,
                                    double *ratio, double *lo, double *hi);

/* One day of the window. */
typedef struct truce_stats_day {
    int offset;       /* days from the ceasefire's local day (0), may be negative */
    char date[11];    /* local date YYYY-MM-DD */
    int64_t start_s;  /* its first instant (UTC) */
    uint64_t events;  /* events dated within the day (by their start) */
    uint64_t hostile; /* events that match a rule, phase aside */
    uint64_t violations;
    uint64_t possible;
    int64_t fatalities; /* sum of known fatality figures */
} truce_stats_day;

/* One row of a breakdown. */
typedef struct truce_stats_row {
    const char *key; /* owned by the accumulator */
    uint64_t events;
    uint64_t violations;
    uint64_t possible;
    int64_t fatalities;
} truce_stats_row;

typedef enum truce_stats_by {
    TRUCE_BY_PARTY = 0,       /* each actor named in the event (actor1, actor2) */
    TRUCE_BY_TYPE = 1,        /* event type */
    TRUCE_BY_ZONE = 2,        /* each zone the event is inside */
    TRUCE_BY_CORRIDOR_KM = 3, /* "corridor-id km N": the kilometre of chainage, inside events */
    TRUCE_BY_DAY = 4,         /* local date */
    /* Each rule (provision) the event breaks or may break (truce_verdict.rules;
     * every rule of the agreement has a row, 0 when none does): an event
     * breaking two rules counts once for each; a row's violations and
     * possible are by that rule's own verdict. */
    TRUCE_BY_RULE = 5
} truce_stats_by;

typedef struct truce_stats_summary {
    int window_days;
    uint64_t events;           /* all events added */
    uint64_t in_window;        /* events whose start lies in the window */
    uint64_t hostile_before;   /* hostile events before the ceasefire, in the window */
    uint64_t hostile_after;    /* hostile events after it, in the window */
    uint64_t spanning;         /* events spanning the ceasefire (left out of the ratio) */
    uint64_t violations;       /* all events: verdict violation */
    uint64_t possible;         /* all events: verdict possible */
    int64_t fatalities_before; /* in the window */
    int64_t fatalities_after;
    int has_ratio;                         /* 0 when there are no hostile events in the window */
    double rate_ratio, ratio_lo, ratio_hi; /* after / before, 95% exact interval */
    int has_last_violation;
    int64_t last_violation_s;         /* start of the latest violation */
    double days_since_last_violation; /* from it to reference_s */
    int64_t reference_s;              /* options.now_s, or the latest event end seen */
} truce_stats_summary;

typedef struct truce_stats_options {
    int window_days; /* days each side of the ceasefire; default 30 */
    int64_t now_s;   /* "today" for days since the last violation; default: the
                        latest event end seen */
    int has_now;
} truce_stats_options;

void truce_stats_options_init(truce_stats_options *options);

typedef struct truce_stats truce_stats;

/* A new accumulator for `agreement` (which must outlive it). */
truce_status truce_stats_new(const truce_agreement *agreement, const truce_stats_options *options,
                             truce_stats **out);
void truce_stats_free(truce_stats *stats);

/* Count one event and its verdict. */
truce_status truce_stats_add(truce_stats *stats, const truce_event *event,
                             const truce_verdict *verdict);

/* The summary so far. */
/* A finished humanitarian accumulator (aid.h) over the same agreement,
 * borrowed until the statistics are freed: truce_stats_write then adds its
 * summary (places in need, reached, targets met, access incidents, returns
 * into danger).  TRUCE_E_ARG (NULL, not finished, another agreement's). */
struct truce_aid;
truce_status truce_stats_set_aid(truce_stats *stats, const struct truce_aid *aid);
/* The accumulator set, or NULL. */
const struct truce_aid *truce_stats_aid(const truce_stats *stats);

truce_status truce_stats_summarise(const truce_stats *stats, truce_stats_summary *out);

/* The window's days, oldest first (2 * window_days entries); valid until the
 * next add or free. */
const truce_stats_day *truce_stats_days(const truce_stats *stats, size_t *count);

/* A breakdown, sorted by violations, then events, descending, then key;
 * valid until the next add or free.  TRUCE_E_NOMEM. */
truce_status truce_stats_breakdown(truce_stats *stats, truce_stats_by by,
                                   const truce_stats_row **rows, size_t *count);

/* The summary as text: the lines `truce stats` prints, which the HTML
 * report shows too (docs/stats.md). */
typedef enum truce_stats_line {
    TRUCE_STATS_LINE_WINDOW = 0,  /* "30 days each side: 2020-02-05 to 2020-04-05 (local days)" */
    TRUCE_STATS_LINE_EVENTS = 1,  /* judged, in the window, violations, possible */
    TRUCE_STATS_LINE_HOSTILE = 2, /* hostile events before and after, spanning left out */
    TRUCE_STATS_LINE_RATE_RATIO = 3,     /* the ratio and its interval ("inf" when infinite) */
    TRUCE_STATS_LINE_LAST_VIOLATION = 4, /* its start and days before the reference instant */
    TRUCE_STATS_LINE_FATALITIES = 5,     /* before and after, in the window */
    TRUCE_STATS_NLINES = 6
} truce_stats_line;

/* Room for any line of truce_stats_line_text. */
#define TRUCE_STATS_LINE_MAX 256

/* The key of a line: "window", "events", "hostile", "rate ratio", "last
 * violation", "fatalities"; NULL for a value out of range. */
const char *truce_stats_line_key(truce_stats_line line);

/* Write one line of the summary `s` of `stats` (truce_stats_summarise) into
 * buf (`size` bytes, NUL-terminated; the caller owns it): with `with_key`
 * nonzero the line as `truce stats` prints it, the key in a column of 11
 * and a space before the value ("events      36 judged, ..."; a longer key
 * is followed by two spaces), else the value alone.  TRUCE_E_ARG for a
 * NULL argument or a line out of range; TRUCE_E_RANGE when the line does
 * not fit (buf then holds its start; TRUCE_STATS_LINE_MAX always fits). */
truce_status truce_stats_line_text(const truce_stats *stats, const truce_stats_summary *s,
                                   truce_stats_line line, int with_key, char *buf, size_t size);

#endif
