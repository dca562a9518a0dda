#!/bin/sh
# Load benchmark of the live service (docs/performance.md, "Live service"):
#   sh bench/bench_serve.sh BUILD_DIR [SECONDS]
# 1. truce serve on a free 127.0.0.1 port, a fresh store in a temporary
#    directory, the Idlib agreement, a reporter token; wrk (64 connections,
#    2 threads, SECONDS, default 10) posts distinct reports
#    (bench/post_reports.lua).  Then nothing may be lost: every request wrk
#    saw answered 2xx, and every 201 of the server's access log, is a row of
#    the store; the rows beyond wrk's 2xx are at most the 64 requests still
#    in flight when wrk stopped; PRAGMA integrity_check is ok.
# 2. The way a team would otherwise do it, in the same run: PostgreSQL 15 +
#    PostGIS (scripts/pg_cluster.sh, fsync and synchronous_commit on), a table
#    of reports and one of verdicts, pgbench -c 64 -j 2 -T SECONDS with a
#    script that inserts a report and its verdict, ST_DWithin(report,
#    m4_line::geography, 6000), in one transaction.
# Prints, per path: reports/s, p50 and p99 latency (ms); the HTTP layer's own
# ceiling (GET /healthz on the same server, as long, as many connections);
# then the ratios.
set -eu
build=$1
secs=${2:-10}
conns=64
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_built "$truce"
bench_installed wrk
. "$here/../scripts/pg_cluster.sh"
work=$(mktemp -d /tmp/truce-bench-serve.XXXXXX)
spid=
cleanup() {
    [ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    pg_cluster_stop
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
    echo "bench_serve.sh: $*" >&2
    exit 1
}

# ---- truce serve ----
db=$work/truce.db
token=$("$truce" token add --db "$db" --role reporter --name loadbench)
: >"$work/serve.log"
"$truce" serve --db "$db" --listen 127.0.0.1:0 ${TRUCE_SERVE_OPTIONS:-} "$agreement" \
    2>"$work/serve.log" &
spid=$!
bench_listening $spid "$work/serve.log"
TRUCE_TOKEN=$token wrk -c $conns -t 2 -d "${secs}s" --timeout 10s \
    -s "$here/post_reports.lua" "http://127.0.0.1:$port" >"$work/wrk.out"
# The ceiling of the HTTP layer on this machine: the same server, the same
# wrk, GET /healthz (no token, no body, no store), for as long.
wrk -c $conns -t 2 -d "${secs}s" --timeout 10s --latency "http://127.0.0.1:$port/healthz" \
    >"$work/healthz.out"
kill -TERM "$spid"
wait "$spid" || fail "truce serve exited with status $?"
spid=
line=$(grep '^wrk	' "$work/wrk.out") || fail "no summary from wrk: $(cat "$work/wrk.out")"
set -- $line
requests=$2 ok=$3 other=$4 errors=$5 wsecs=$6 t_p50=$7 t_p99=$8
stored=$(sqlite3 "$db" "SELECT count(*) FROM events")
verdicts=$(sqlite3 "$db" "SELECT count(*) FROM verdicts")
integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
acked=$(grep -c '"path":"/api/v1/reports","status":201' "$work/serve.log" || true)
[ "$other" -eq 0 ] || fail "truce: $other answers were not 2xx"
[ "$errors" -eq 0 ] || fail "truce: $errors socket errors or timeouts"
[ "$integrity" = ok ] || fail "truce: integrity_check: $integrity"
[ "$stored" -eq "$verdicts" ] || fail "truce: $stored events but $verdicts verdicts"
# A report whose client left while it waited for its commit is stored but
# logged unanswered ("aborted"): at most the requests in flight.
[ "$stored" -ge "$acked" ] && [ "$stored" -le $((acked + conns)) ] ||
    fail "truce: the server answered 201 $acked times, $stored rows stored"
[ "$stored" -ge "$ok" ] && [ "$stored" -le $((ok + conns)) ] ||
    fail "truce: wrk got $ok answers 2xx, $stored rows stored"
t_rps=$(awk -v n="$ok" -v s="$wsecs" 'BEGIN { printf "%.0f", n / s }')
printf 'truce serve\t%s reports/s\tp50 %s ms\tp99 %s ms\t(%s answered 201, %s stored, integrity %s)\n' \
    "$t_rps" "$t_p50" "$t_p99" "$ok" "$stored" "$integrity"

h_rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/healthz.out")
h_p50=$(awk '$1 == "50%" { print $2 }' "$work/healthz.out")
h_p99=$(awk '$1 == "99%" { print $2 }' "$work/healthz.out")
printf 'healthz\t%.0f answers/s\tp50 %s\tp99 %s\t(GET /healthz on the same server: the HTTP layer alone)\n' \
    "$h_rps" "$h_p50" "$h_p99"

# ---- PostgreSQL + PostGIS ----
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_cluster_start "$pgport" -c max_connections=100 -c shared_buffers=256MB \
    -c fsync=on -c synchronous_commit=on || exit 1
m4=$(python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["features"]:
    if f["properties"].get("role") == "corridor":
        print("LINESTRING(" + ",".join("%r %r" % tuple(p) for p in f["geometry"]["coordinates"]) + ")")
        break' "$agreement")
$psql <<SQL >/dev/null
CREATE TABLE m4 (g geography NOT NULL);
INSERT INTO m4 VALUES (ST_GeogFromText('SRID=4326;$m4'));
CREATE SEQUENCE report_ids;
CREATE TABLE reports (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  event jsonb NOT NULL,
  g geography NOT NULL,
  received_at timestamptz NOT NULL);
CREATE TABLE verdicts (
  seq bigserial PRIMARY KEY,
  report_seq bigint NOT NULL REFERENCES reports(seq),
  in_corridor boolean NOT NULL,
  judged_at timestamptz NOT NULL);
CREATE INDEX verdicts_report ON verdicts(report_seq);
SQL
cat >"$work/report.sql" <<'SQL'
\set lon random(3615000, 3685000)
\set lat random(3570000, 3595000)
\set month random(3, 9)
\set day random(1, 28)
BEGIN;
WITH r AS (
  INSERT INTO reports (id, event, g, received_at)
  SELECT 'pg-' || nextval('report_ids'),
         jsonb_build_object('start', format('2020-%s-%s', lpad(:month::text, 2, '0'), lpad(:day::text, 2, '0')),
                            'lon', :lon / 100000.0, 'lat', :lat / 100000.0,
                            'event_type', 'Battles', 'actor1', 'Military Forces of Syria',
                            'notes', 'load test report'),
         ST_SetSRID(ST_MakePoint(:lon / 100000.0, :lat / 100000.0), 4326)::geography, now()
  RETURNING seq, g)
INSERT INTO verdicts (report_seq, in_corridor, judged_at)
SELECT r.seq, ST_DWithin(r.g, m4.g, 6000), now() FROM r, m4;
END;
SQL
chmod 755 "$work"
chmod 644 "$work/report.sql"
mkdir "$work/pglog"
chmod 777 "$work/pglog"
$pg_as "$pgbin/pgbench" -n -h 127.0.0.1 -p "$pgport" -U bench -c $conns -j 2 -T "$secs" \
    -f "$work/report.sql" -l --log-prefix="$work/pglog/tx" postgres >"$work/pgbench.out" 2>&1 ||
    fail "pgbench failed: $(cat "$work/pgbench.out")"
committed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.out")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/pgbench.out")
pg_rows=$($psql -At -c "SELECT count(*) FROM reports")
pg_verdicts=$($psql -At -c "SELECT count(*) FROM verdicts")
[ "${failed:-0}" -eq 0 ] || fail "pgbench: $failed transactions failed"
[ "$pg_rows" -eq "$committed" ] && [ "$pg_verdicts" -eq "$committed" ] ||
    fail "pgbench: $committed transactions, $pg_rows reports and $pg_verdicts verdicts stored"
# Each transaction's latency (microseconds, the 3rd field of pgbench's log)
# and the time span the log covers: reports/s over the same span as wrk's.
cat "$work"/pglog/tx* >"$work/pg.log"
pg_stats=$(awk '{ print $3 }' "$work/pg.log" | sort -n | awk '
    { v[NR] = $1 }
    END { printf "%.3f %.3f", v[int(NR * 0.50 + 0.5)] / 1000, v[int(NR * 0.99 + 0.5)] / 1000 }')
set -- $pg_stats
p_p50=$1 p_p99=$2
p_rps=$(awk -v n="$committed" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
printf 'postgis\t%s reports/s\tp50 %s ms\tp99 %s ms\t(%s committed, %s stored)\n' \
    "$p_rps" "$p_p50" "$p_p99" "$committed" "$pg_rows"
awk -v a="$t_rps" -v b="$p_rps" -v h="$h_rps" -v p99="$t_p99" 'BEGIN {
    printf "ratio\ttruce / postgis\t%.1f\t(goal >= 10; truce p99 %s ms, goal <= 50)\n", a / b, p99
    printf "ratio\thealthz / postgis\t%.1f\t(what no report handler on this machine can pass)\n", h / b }'
