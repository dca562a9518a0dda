/* truce — duplicates: reports of one incident told by several sources.
 *
 * ACLED, UCDP, a party and an observer may each report the same attack,
 * with their own ids, dates, places and words; counted four times it makes
 * a ceasefire look four times worse.  A dedup gathers reports and groups
 * them into incidents (clusters): two reports are linked when
 * - their time intervals overlap (each widened by time_slack_s), so a
 *   date-only report covers its whole day and a week-precision one its week;
 * - their places are within their uncertainty radii of each other (geodesic
 *   distance <= r1 + r2 + place_slack_m; a sighting by the disk over its
 *   sector, event.h), or either has no location;
 * - their event types are compatible across vocabularies (ACLED's, UCDP's
 *   type_of_violence, truce's own words: the table in docs/dedup.md);
 * - their fatalities agree (|a - b| <= max(fatalities_abs, fatalities_rel *
 *   max(a, b)), or a figure is unknown, or UCDP's low-high ranges meet);
 * - they come from different sources (a source is a format and a file as
 *   the event's provenance gives them: a source never reports one incident
 *   twice), unless same_source is set.
 * Each link has a score in [0, 1], the mean of how much the places'
 * uncertainty disks and the times' intervals have in common (each against
 * the geometric mean of the two, so a vague place or date says little),
 * and how well the types and the fatalities agree (docs/dedup.md).  A link
 * is left out when one of its reports has another link, to a report of the
 * same source as its other end, scoring within `ambiguity` of it: the
 * evidence cannot tell which of two incidents that report is (not with
 * same_source, where a source may tell an incident twice).  Links
 * scoring at least min_score join clusters, best first, and never two
 * clusters that share a source.
 *
 * Candidates come from a grid of cells on the sphere, in levels of growing
 * size by the reports' reach, and a sweep over time within each cell, so
 * the work and the memory grow with the number of reports and of nearby
 * pairs, never with its square; each report keeps at most TRUCE_DEDUP_LINKS
 * links, its best.
 *
 *     truce_dedup *d;
 *     truce_dedup_new(&opt, &d);
 *     while (... a row ...) truce_dedup_add(d, event);
 *     truce_dedup_run(d);
 *     for (size_t k = 0; k < truce_dedup_count(d); k++) truce_dedup_get(d, k, &c);
 *     truce_dedup_free(d);
 *
 * A dedup is one thread's.
 */
#ifndef TRUCE_DEDUP_H
#define TRUCE_DEDUP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "truce/event.h"
#include "truce/status.h"

/* The links a report keeps, its best. */
#define TRUCE_DEDUP_LINKS 8

typedef struct truce_dedup_options {
    double place_slack_m;   /* metres added to the two radii; default 1000 */
    int64_t time_slack_s;   /* seconds each interval is widened by; default 0 */
    double min_score;       /* links below it are left out; default 0.5 */
    double fatalities_rel;  /* default 0.5 */
    int64_t fatalities_abs; /* default 2 */
    int same_source;        /* 1: reports of one source may be one incident; default 0 */
    double ambiguity;       /* a link within this of a rival is left out, in [0, 1];
                               default 0.05 (docs/dedup.md, "Ambiguous reports") */
} truce_dedup_options;

/* The defaults above. */
void truce_dedup_options_init(truce_dedup_options *options);

typedef struct truce_dedup truce_dedup;

/* A new, empty dedup (truce_dedup_free).  TRUCE_E_ARG for a NULL argument or
 * a negative or non-finite option, or min_score or ambiguity outside [0, 1];
 * TRUCE_E_NOMEM. */
truce_status truce_dedup_new(const truce_dedup_options *options, truce_dedup **out);

/* Add a report: what the dedup needs of it is copied (its id, file,
 * interval, place, type and fatalities), about 100 bytes and the id.
 * Reports are numbered from 0 in the order added.  TRUCE_E_ARG,
 * TRUCE_E_NOMEM, TRUCE_E_RANGE after 2^32 - 1 reports. */
truce_status truce_dedup_add(truce_dedup *dedup, const truce_event *event);

/* Link and cluster the reports added (once; adding afterwards is
 * TRUCE_E_ARG).  TRUCE_E_NOMEM. */
truce_status truce_dedup_run(truce_dedup *dedup);

/* The number of reports added, and of clusters after truce_dedup_run
 * (singletons included). */
size_t truce_dedup_reports(const truce_dedup *dedup);
size_t truce_dedup_count(const truce_dedup *dedup);

/* One cluster.  Clusters are numbered by their first report, so the order
 * follows the input; members are in input order. */
typedef struct truce_dedup_cluster {
    const uint32_t *members; /* report numbers, owned by the dedup */
    size_t nmembers;
    uint32_t representative; /* the most precise member (docs/dedup.md) */
    double score;            /* the weakest link that holds it together; 1 for one report */
    char reason[160];        /* one line: what the weakest link agreed on */
} truce_dedup_cluster;

/* Cluster k (< truce_dedup_count) into *out.  TRUCE_E_ARG out of range or
 * before truce_dedup_run. */
truce_status truce_dedup_get(const truce_dedup *dedup, size_t k, truce_dedup_cluster *out);

/* Whether report i stands for its incident (is its cluster's
 * representative), so that counting those counts incidents once; 0 out of
 * range or before truce_dedup_run. */
int truce_dedup_counts(const truce_dedup *dedup, size_t i);

/* The id of report i (owned by the dedup), NULL out of range. */
const char *truce_dedup_id(const truce_dedup *dedup, size_t i);

/* The kind of event a report describes, in the vocabulary docs/dedup.md
 * maps ACLED's, UCDP's and truce's words to: "battle", "explosion",
 * "civilians", "protest", "riot", "strategic", "organised" (UCDP state-based
 * or non-state), or "unknown". */
const char *truce_dedup_kind(const truce_event *event);

/* The rule that links two reports, alone: whether reports a and b may be
 * one incident under `options` (NULL: the defaults) and how well they
 * agree.  *score gets the link's score in [0, 1], or -1 when a hard rule
 * (time, place, type, fatalities, source) keeps them apart; `reason` (may
 * be NULL, size bytes, 160 are enough) gets the same one-line reason a
 * cluster's gets, or what kept them apart.  This is the rule truce_dedup_run
 * links reports by, before min_score and the ambiguity test (which need
 * the other reports); a caller that finds candidates its own way (the
 * server, in its store) scores them with it.  TRUCE_E_ARG for a NULL event
 * or score or a bad option. */
truce_status truce_dedup_pair(const truce_dedup_options *options, const truce_event *a,
                              const truce_event *b, double *score, char *reason, size_t size);

typedef enum truce_dedup_format {
    TRUCE_DEDUP_TABLE = 0, /* a line per cluster of two or more, for people */
    TRUCE_DEDUP_JSONL = 1  /* a line per cluster, singletons included */
} truce_dedup_format;

/* Write the clusters: JSON Lines as
 * {"cluster": N, "members": [ids], "representative": id, "score": x,
 *  "reason": "..."} (N from 1), or the table.  TRUCE_E_IO. */
truce_status truce_dedup_write(const truce_dedup *dedup, truce_dedup_format format, FILE *out);

void truce_dedup_free(truce_dedup *dedup);

#endif
