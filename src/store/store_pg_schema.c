/* The PostgreSQL backend's schema (store_pg.c applies it): the tables of
 * the SQLite backend's migrations (store_sqlite.c), in PostgreSQL's types,
 * with the same meaning and the same version numbers.  No PostgreSQL store
 * predates version 9, so its first step builds version 9 whole; every
 * later version is a step in both lists.  A step is never edited once
 * released. */
#include "store/store_pg_schema.h"

/* History is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. */
#define APPEND_ONLY(t, what)                                                                       \
    "CREATE TRIGGER " t "_append_only BEFORE UPDATE OR DELETE ON " t                               \
    " FOR EACH ROW EXECUTE FUNCTION truce_append_only('" what "');"                                \
    "CREATE TRIGGER " t "_no_truncate BEFORE TRUNCATE ON " t                                       \
    " FOR EACH STATEMENT EXECUTE FUNCTION truce_append_only('" what "');"

static const char step9_history[] =
    "CREATE FUNCTION truce_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN RAISE EXCEPTION '% are append-only', TG_ARGV[0]; END $$;"
    /* 1: tokens */
    "CREATE TABLE tokens ("
    " id bigserial PRIMARY KEY,"
    " sha256 bytea NOT NULL UNIQUE,"
    " role text NOT NULL CHECK (role IN ('admin','party','reporter','viewer')),"
    " party text,"
    " name text,"
    " created_at text NOT NULL,"
    " revoked_at text);"
    /* 2, 5: events, agreement versions, verdicts, reviews, idempotency keys */
    "CREATE TABLE events ("
    " seq bigserial PRIMARY KEY,"
    " id text NOT NULL UNIQUE,"
    " event text NOT NULL,"
    " event_sha256 bytea NOT NULL,"
    " received_at text NOT NULL,"
    " token_id bigint REFERENCES tokens(id));"
    "CREATE INDEX events_token ON events(token_id);"
    "CREATE TABLE agreements ("
    " version bigserial PRIMARY KEY,"
    " body text NOT NULL,"
    " sha256 bytea NOT NULL,"
    " stored_at text NOT NULL,"
    " token_id bigint REFERENCES tokens(id));"
    "CREATE INDEX agreements_sha256 ON agreements(sha256);"
    "CREATE TABLE verdicts ("
    " seq bigserial PRIMARY KEY,"
    " event_seq bigint NOT NULL REFERENCES events(seq),"
    " record text NOT NULL,"
    " judged_at text NOT NULL,"
    " agreement_version bigint REFERENCES agreements(version));"
    "CREATE INDEX verdicts_event ON verdicts(event_seq, seq);"
    "CREATE TABLE reviews ("
    " seq bigserial PRIMARY KEY,"
    " event_seq bigint NOT NULL REFERENCES events(seq),"
    " at text NOT NULL,"
    " token_id bigint REFERENCES tokens(id),"
    " role text NOT NULL,"
    " party text,"
    " action text NOT NULL,"
    " from_status text NOT NULL,"
    " to_status text NOT NULL,"
    " note text);"
    "CREATE INDEX reviews_event ON reviews(event_seq, seq);"
    "CREATE TABLE idempotency ("
    " token_id bigint NOT NULL,"
    " key text NOT NULL,"
    " request_sha256 bytea NOT NULL,"
    " outcome integer NOT NULL,"
    " answer text NOT NULL,"
    " PRIMARY KEY (token_id, key));" APPEND_ONLY("events", "events")
        APPEND_ONLY("verdicts", "verdicts") APPEND_ONLY("reviews", "reviews")
            APPEND_ONLY("agreements", "agreement versions")
    /* 3: GPX tracks */
    "CREATE TABLE tracks ("
    " seq bigserial PRIMARY KEY,"
    " name text NOT NULL,"
    " gpx bytea NOT NULL,"
    " gpx_sha256 bytea NOT NULL UNIQUE,"
    " received_at text NOT NULL,"
    " token_id bigint REFERENCES tokens(id));" APPEND_ONLY("tracks", "tracks");

/* The trigger function that keeps an event's facets from each verdict
 * appended: one row written per verdict (an upsert: the facets of a new
 * event are inserted whole, not inserted and then updated, each a new
 * version of the row and of its geography when PostGIS is there).  Step 9
 * creates it and step 10 replaces it in stores made before step 10 added
 * the end and radius: plpgsql reads the columns when the trigger first
 * runs, after step 10, even in a store made new. */
#define VERDICT_FACETS(create)                                                                     \
    create " FUNCTION truce_verdict_facets() RETURNS trigger LANGUAGE plpgsql AS $$"               \
           " DECLARE r jsonb := NEW.record::jsonb; BEGIN"                                          \
           " INSERT INTO event_facets (event_seq, start_s, end_s, violation, actor1, actor2,"      \
           " sources, lon, lat, radius_m) VALUES (NEW.event_seq, truce_start_s(r->>'start'),"      \
           " truce_start_s(r->>'end'), r->>'violation', r->>'actor1', r->>'actor2',"               \
           " r->>'sources', truce_number(r->'lon'), truce_number(r->'lat'),"                       \
           " truce_number(r->'radius_m')) ON CONFLICT (event_seq) DO UPDATE SET"                   \
           " start_s = EXCLUDED.start_s, end_s = EXCLUDED.end_s, violation = EXCLUDED.violation,"  \
           " actor1 = EXCLUDED.actor1, actor2 = EXCLUDED.actor2, sources = EXCLUDED.sources,"      \
           " lon = EXCLUDED.lon, lat = EXCLUDED.lat, radius_m = EXCLUDED.radius_m;"                \
           " DELETE FROM event_rules WHERE event_seq = NEW.event_seq;"                             \
           " IF jsonb_typeof(r->'rules') = 'array' THEN"                                           \
           " INSERT INTO event_rules SELECT x->>'rule', NEW.event_seq"                             \
           " FROM jsonb_array_elements(r->'rules') x"                                              \
           " WHERE jsonb_typeof(x) = 'object' AND x->>'rule' IS NOT NULL ON CONFLICT DO NOTHING;"  \
           " END IF;"                                                                              \
           " DELETE FROM event_zones WHERE event_seq = NEW.event_seq;"                             \
           " IF jsonb_typeof(r->'zones') = 'object' THEN"                                          \
           " INSERT INTO event_zones SELECT key, NEW.event_seq FROM jsonb_each(r->'zones')"        \
           " WHERE value = '\"inside\"'::jsonb ON CONFLICT DO NOTHING;"                            \
           " END IF;"                                                                              \
           " DELETE FROM event_corridors WHERE event_seq = NEW.event_seq;"                         \
           " IF jsonb_typeof(r->'corridors') = 'object' THEN"                                      \
           " INSERT INTO event_corridors SELECT key, NEW.event_seq,"                               \
           " truce_number(value->'chainage_m') FROM jsonb_each(r->'corridors')"                    \
           " WHERE jsonb_typeof(value) = 'object' AND value->>'position' = 'inside'"               \
           " ON CONFLICT DO NOTHING;"                                                              \
           " END IF;"                                                                              \
           " RETURN NULL; END $$;"

static const char step9_query[] =
    /* 4, 8, 9: query -- what the filters test, beside each event, from its
     * current verdict and status (derived: rewritten by triggers).  A
     * start that is not a time is NULL, as SQLite's strftime makes it. */
    "CREATE TABLE event_facets ("
    " event_seq bigint PRIMARY KEY REFERENCES events(seq),"
    " start_s bigint, violation text, actor1 text, actor2 text, sources text,"
    " lon double precision, lat double precision, status text NOT NULL DEFAULT 'submitted');"
    "CREATE INDEX event_facets_start ON event_facets(start_s);"
    "CREATE INDEX event_facets_violation ON event_facets(violation, event_seq);"
    "CREATE INDEX event_facets_status ON event_facets(status, event_seq);"
    "CREATE INDEX event_facets_actor1 ON event_facets(actor1);"
    "CREATE INDEX event_facets_actor2 ON event_facets(actor2);"
    "CREATE INDEX event_facets_grid ON event_facets(lon, lat, violation);"
    "CREATE INDEX event_facets_lat ON event_facets(lat);"
    "CREATE TABLE event_rules (rule text NOT NULL, event_seq bigint NOT NULL,"
    " PRIMARY KEY (rule, event_seq));"
    "CREATE TABLE event_zones (zone text NOT NULL, event_seq bigint NOT NULL,"
    " PRIMARY KEY (zone, event_seq));"
    "CREATE TABLE event_corridors (corridor text NOT NULL, event_seq bigint NOT NULL,"
    " chainage_m double precision, PRIMARY KEY (corridor, event_seq));"
    "CREATE INDEX event_corridors_km ON event_corridors(corridor, chainage_m);"
    "CREATE INDEX event_rules_event ON event_rules(event_seq);"
    "CREATE INDEX event_zones_event ON event_zones(event_seq);"
    "CREATE INDEX event_corridors_event ON event_corridors(event_seq);"
    "CREATE FUNCTION truce_start_s(t text) RETURNS bigint LANGUAGE plpgsql IMMUTABLE"
    " SET TimeZone = 'UTC' AS $$ BEGIN"
    " RETURN floor(extract(epoch FROM t::timestamptz))::bigint;"
    " EXCEPTION WHEN others THEN RETURN NULL; END $$;"
    "CREATE FUNCTION truce_number(j jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE AS"
    " $$ SELECT CASE WHEN jsonb_typeof(j) = 'number' THEN j::text::double precision END $$;";
static const char step9_facets[] = VERDICT_FACETS("CREATE");
static const char step9_triggers[] =
    "CREATE TRIGGER verdicts_facets AFTER INSERT ON verdicts"
    " FOR EACH ROW EXECUTE FUNCTION truce_verdict_facets();"
    "CREATE FUNCTION truce_review_facets() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " UPDATE event_facets SET status = NEW.to_status WHERE event_seq = NEW.event_seq;"
    " RETURN NULL; END $$;"
    "CREATE TRIGGER reviews_facets AFTER INSERT ON reviews"
    " FOR EACH ROW EXECUTE FUNCTION truce_review_facets();";

static const char step9_feed[] =
    /* 6: the change feed, written by triggers with the verdict or review
     * that makes it; each takes the feed's lock first (store_pg.c) */
    "CREATE TABLE changes ("
    " seq bigserial PRIMARY KEY,"
    " event_seq bigint NOT NULL REFERENCES events(seq),"
    " kind text NOT NULL CHECK (kind IN ('created','verdict','review')),"
    " verdict_seq bigint NOT NULL REFERENCES verdicts(seq),"
    " review_seq bigint REFERENCES reviews(seq));" APPEND_ONLY(
        "changes",
        "changes") "CREATE FUNCTION truce_verdict_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN"
                   " PERFORM pg_advisory_xact_lock(" TRC_PG_FEED_KEY ");"
                   " INSERT INTO changes (event_seq, kind, verdict_seq, review_seq) VALUES "
                   "(NEW.event_seq,"
                   " CASE WHEN EXISTS (SELECT 1 FROM verdicts p WHERE p.event_seq = NEW.event_seq"
                   " AND p.seq < NEW.seq) THEN 'verdict' ELSE 'created' END, NEW.seq,"
                   " (SELECT max(seq) FROM reviews r WHERE r.event_seq = NEW.event_seq));"
                   " RETURN NULL; END $$;"
                   "CREATE TRIGGER verdicts_change AFTER INSERT ON verdicts"
                   " FOR EACH ROW EXECUTE FUNCTION truce_verdict_change();"
                   "CREATE FUNCTION truce_review_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN"
                   " PERFORM pg_advisory_xact_lock(" TRC_PG_FEED_KEY ");"
                   " INSERT INTO changes (event_seq, kind, verdict_seq, review_seq) VALUES "
                   "(NEW.event_seq,"
                   " 'review', (SELECT max(seq) FROM verdicts v WHERE v.event_seq = "
                   "NEW.event_seq), NEW.seq);"
                   " RETURN NULL; END $$;"
                   "CREATE TRIGGER reviews_change AFTER INSERT ON reviews"
                   " FOR EACH ROW EXECUTE FUNCTION truce_review_change();";

static const char step9_webhooks[] =
    /* 7: webhooks; a delivery is leased by the process that takes it
     * (leased_by, the store's instance; leased_until, a Unix time), so
     * that each is taken by one process */
    "CREATE TABLE webhooks ("
    " id bigserial PRIMARY KEY,"
    " url text NOT NULL,"
    " secret text NOT NULL,"
    " filter text NOT NULL,"
    " created_at text NOT NULL,"
    " token_id bigint REFERENCES tokens(id),"
    " queued_through bigint NOT NULL,"
    " deactivated_at text);"
    "CREATE TABLE webhook_deliveries ("
    " id bigserial PRIMARY KEY,"
    " webhook_id bigint NOT NULL REFERENCES webhooks(id),"
    " change_seq bigint NOT NULL REFERENCES changes(seq),"
    " state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','delivered','failed')),"
    " attempts integer NOT NULL DEFAULT 0,"
    " queued_s double precision NOT NULL,"
    " next_s double precision NOT NULL,"
    " leased_by text,"
    " leased_until double precision,"
    " UNIQUE (webhook_id, change_seq));"
    "CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_s);"
    "CREATE TABLE webhook_attempts ("
    " seq bigserial PRIMARY KEY,"
    " delivery_id bigint NOT NULL REFERENCES webhook_deliveries(id),"
    " at text NOT NULL,"
    " http_status integer,"
    " error text,"
    " duration_ms double precision NOT NULL);"
    "CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, seq);" APPEND_ONLY(
        "webhook_attempts", "webhook attempts");

static const char *const step9[] = {step9_history, step9_query,    step9_facets, step9_triggers,
                                    step9_feed,    step9_webhooks, NULL};

/* 10: likely duplicates, as SQLite's step 10: each event's end and radius
 * beside its start and place, kept by the facets' trigger function (made
 * anew: VERDICT_FACETS), the events stored before filled from their current
 * verdicts, one index for the pair rule's refusals in place of the one on
 * start_s alone. */
static const char step10_columns[] =
    "ALTER TABLE event_facets ADD COLUMN end_s bigint;"
    "ALTER TABLE event_facets ADD COLUMN radius_m double precision;";
static const char step10_function[] = VERDICT_FACETS("CREATE OR REPLACE");
static const char step10_fill[] =
    "UPDATE event_facets f SET end_s = truce_start_s(v.record::jsonb->>'end'),"
    " radius_m = truce_number(v.record::jsonb->'radius_m') FROM verdicts v"
    " WHERE v.seq = (SELECT max(seq) FROM verdicts w WHERE w.event_seq = f.event_seq);"
    "CREATE INDEX event_facets_when ON event_facets(start_s, end_s, lat, lon, radius_m);"
    "DROP INDEX event_facets_start;";

static const char *const step10[] = {step10_columns, step10_function, step10_fill, NULL};

const trc_pg_step trc_pg_steps[] = {
    {9, step9},
    {10, step10},
};
const size_t trc_pg_nsteps = sizeof trc_pg_steps / sizeof trc_pg_steps[0];

/* Where PostGIS is installed: a geography point beside each event's
 * facets, kept by a trigger, and its GiST index; run (again) at each open,
 * after the migrations, and skipped when PostGIS is not there. */
const char trc_pg_postgis[] =
    "ALTER TABLE event_facets ADD COLUMN IF NOT EXISTS geog geography(Point, 4326);"
    "CREATE INDEX IF NOT EXISTS event_facets_geog ON event_facets USING gist (geog);"
    "CREATE OR REPLACE FUNCTION truce_facets_geog() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " NEW.geog := CASE WHEN NEW.lon IS NOT NULL AND NEW.lat IS NOT NULL"
    " THEN ST_SetSRID(ST_MakePoint(NEW.lon, NEW.lat), 4326)::geography END;"
    " RETURN NEW; END $$;"
    "CREATE OR REPLACE TRIGGER event_facets_geog BEFORE INSERT OR UPDATE ON event_facets"
    " FOR EACH ROW EXECUTE FUNCTION truce_facets_geog();"
    "UPDATE event_facets SET lon = lon WHERE geog IS NULL AND lon IS NOT NULL AND lat IS NOT NULL;";
