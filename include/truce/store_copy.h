/* Copying a whole store to another (SQLite to SQLite now; any backend to
 * any other through the same calls), and a census of a store to compare
 * two: rows per table and SHA-256 checksums over them.
 *
 *     truce_store *a, *b;   // opened with truce_store_open; b new and empty
 *     truce_store_copy_report rep;
 *     char why[256];
 *     truce_status st = truce_store_copy(a, b, NULL, NULL, &rep, why, sizeof why);
 *     // TRUCE_OK: b holds what a held, counts and checksums equal
 *
 * What is copied is the store as it is, numbers included: the access
 * tokens (their hashes, roles, revocations), the agreement versions, the
 * events with every verdict and every review in order (who submitted and
 * reviewed them, when), the change feed, the idempotency keys with their
 * stored answers, the tracks, the webhooks with their deliveries and
 * attempts.  Thread safety: as for any call on the two stores. */
#ifndef TRUCE_STORE_COPY_H
#define TRUCE_STORE_COPY_H

#include <stdint.h>

#include "truce/status.h"
#include "truce/store.h"

/* The tables a copy moves, numbered 0 .. TRUCE_STORE_TABLES - 1 in the
 * order they are copied (each after those its rows point to). */
#define TRUCE_STORE_TABLES 11

/* The name of table `table` ("tokens", "agreements", "events", "verdicts",
 * "reviews", "changes", "idempotency", "tracks", "webhooks",
 * "webhook_deliveries", "webhook_attempts"); NULL out of range. */
const char *truce_store_table_name(size_t table);

/* What a store holds, from one snapshot of it. */
typedef struct truce_store_census {
    int64_t rows[TRUCE_STORE_TABLES]; /* rows per table */
    /* SHA-256 over the rows of events, verdicts and reviews: every event
     * with its verdict and review histories. */
    unsigned char history_sha256[32];
    /* SHA-256 over every row of every table. */
    unsigned char sha256[32];
} truce_store_census;

/* The census of `s`: its tables read in order, each table's rows in the
 * order of their numbers (idempotency keys by token number, then key as
 * bytes), each row hashed as its table's number (one byte) then each
 * column's value: a tag byte (0 NULL, 1 integer, 2 real, 3 text, 4 blob),
 * then an integer as 8 bytes big-endian, a real as the 8 bytes of its
 * IEEE 754 bits big-endian, a text or blob as its length in 8 bytes
 * big-endian and its bytes.  So two stores holding the same rows have the
 * same census whatever their backends.  Reads every row: linear in the
 * store.  TRUCE_E_ARG, TRUCE_E_UNSUPPORTED (the backend cannot be read
 * raw), TRUCE_E_NOMEM, TRUCE_E_IO. */
truce_status truce_store_census_take(truce_store *s, truce_store_census *out);

/* Two censuses equal: 1, else 0. */
int truce_store_census_equal(const truce_store_census *a, const truce_store_census *b);

/* Told after each committed batch of a copy: `copied` of the `total` rows
 * of table `table` (total as counted before the copy began; a store
 * written meanwhile may give more or fewer). */
typedef void (*truce_store_copy_progress_fn)(void *ctx, size_t table, int64_t copied,
                                             int64_t total);

typedef struct truce_store_copy_report {
    truce_store_census from; /* of what was read from `from` (the snapshot copied) */
    truce_store_census to;   /* of `to` read back after the copy */
} truce_store_copy_report;

/* Rows written per transaction by truce_store_copy (fewer when they hold
 * more than TRUCE_STORE_COPY_BATCH_BYTES of text and blobs). */
#define TRUCE_STORE_COPY_BATCH_ROWS 10000
#define TRUCE_STORE_COPY_BATCH_BYTES (32u << 20)

/* Copy every row of `from` into `to`, which must be empty (a store just
 * created), numbers preserved, from one snapshot of `from` (a server may
 * keep writing to it: what commits after the copy began is not copied).
 * Written a batch per transaction (TRUCE_STORE_COPY_BATCH_ROWS), each
 * table's rows after those of the tables before it; `progress` (may be
 * NULL) is told after each batch.  Then `to` is read back and its census
 * compared with that of the rows read from `from`.  The history stays
 * append-only in `to` for every later writer.  `report` (may be NULL)
 * receives both censuses once the copy is written.
 *
 * TRUCE_OK: copied, the censuses equal.  TRUCE_E_ARG: `to` is not empty
 * (nothing written) or from == to; TRUCE_E_INVALID: the copy was written
 * but its census differs (a bug; `report` says where); TRUCE_E_UNSUPPORTED:
 * a backend cannot copy; TRUCE_E_NOMEM, TRUCE_E_IO: the copy stopped, and
 * `to` holds the batches committed before (remove it and copy again).
 * `why` (may be NULL) receives one line on failure. */
truce_status truce_store_copy(truce_store *from, truce_store *to,
                              truce_store_copy_progress_fn progress, void *ctx,
                              truce_store_copy_report *report, char *why, size_t why_len);

#endif
