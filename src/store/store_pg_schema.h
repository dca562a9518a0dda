/* The PostgreSQL backend's schema steps (store_pg_schema.c). */
#ifndef TRUCE_STORE_PG_SCHEMA_H
#define TRUCE_STORE_PG_SCHEMA_H

#include <stddef.h>

/* The feed's advisory lock (store_pg.c says why). */
#define TRC_PG_FEED_KEY "7665876206593700913"

/* A step takes the schema from the version of the step before it (0 for
 * the first) to `version`. */
typedef struct trc_pg_step {
    int version;
    const char *const *sql; /* run in order, NULL after the last */
} trc_pg_step;
extern const trc_pg_step trc_pg_steps[];
extern const size_t trc_pg_nsteps;
extern const char trc_pg_postgis[];

#endif
