#!/bin/sh
# Run the corridor benchmark (docs/performance.md):
#   sh bench/run.sh BUILD_DIR [--seed N]
# truce and GEOS are timed by bench_corridor; PostGIS by a throw-away
# PostgreSQL 15 cluster on 127.0.0.1 in a temporary directory, run as the
# `postgres` user (or the current user when not root), stopped and deleted at
# the end.  Everything runs on one core (taskset -c 0 when available; parallel
# query off).  Prints one line per method:
#   METHOD <TAB> points_per_second <TAB> wrong_uniform <TAB> wrong_stress <TAB> max_error_m
# then the ratios the issue asks about.
set -eu
build=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
mkdir -p "$out"
bin=$build/bench/bench_corridor
[ -x "$bin" ] || { echo "run.sh: $bin not built (make bench)" >&2; exit 1; }
pin=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
results=$out/results.tsv
$pin "$bin" --out "$out" "$@" | tee "$results"

# PostGIS
. "$here/../scripts/pg_cluster.sh"
trap pg_cluster_stop EXIT INT TERM
if ! pg_cluster_start 54329 -c max_parallel_workers_per_gather=0 -c shared_buffers=256MB -c fsync=off; then
  echo "run.sh: PostGIS lines skipped" >&2
else
  tmp=$pg_tmp
  # The data files are read by the server process: copy them where it can.
  cp "$out/points.csv" "$out/road.ewkt" "$tmp/"
  chmod 644 "$tmp/points.csv" "$tmp/road.ewkt"
  $psql <<SQL >/dev/null
CREATE TABLE road (g geography);
CREATE TABLE raw (id bigint, lon float8, lat float8);
COPY raw FROM '$tmp/points.csv' WITH (FORMAT csv);
CREATE TABLE pts AS SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS g FROM raw;
SQL
  $psql -c "INSERT INTO road SELECT ST_GeomFromEWKT(pg_read_file('$tmp/road.ewkt'))::geography" >/dev/null
  $psql -c "VACUUM ANALYZE pts" >/dev/null
  # time_query NAME SQL: the result table is written inside the timing (it is
  # small next to the geodesic work), exported after it.
  time_query() {
    name=$1
    sql=$2
    t0=$(date +%s.%N)
    $psql -c "CREATE TABLE res_$name AS SELECT pts.id, $sql AS v FROM pts, road" >/dev/null
    t1=$(date +%s.%N)
    $psql -c "\\copy (SELECT id, v FROM res_$name ORDER BY id) TO '$tmp/res_$name.csv' WITH (FORMAT csv)" >/dev/null
    cp "$tmp/res_$name.csv" "$out/"
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
    "$bin" --out "$out" --score "postgis.$3" "$out/res_$name.csv" "$secs" | tee -a "$results"
  }
  time_query dwithin "ST_DWithin(pts.g, road.g, 6000)" dwithin_geography
  time_query distance "ST_Distance(pts.g, road.g)" distance_geography
fi

# Ratios
awk -F '\t' '
  { pps[$1] = $2 }
  END {
    r("truce.decide", "postgis.dwithin_geography", 250)
    r("truce.decide", "geos.prepared_contains_utm", 1.5)
    r("truce.measure", "postgis.distance_geography", 25)
    # what one bare PROJ geodesic problem per point would give (the ceiling)
    r("proj.geod_inverse_only", "postgis.distance_geography", "-")
    r("proj.geod_direct_only", "postgis.distance_geography", "-")
  }
  function r(a, b, target) {
    if (!(a in pps) || !(b in pps) || pps[b] == 0) return
    if (target == "-") printf "ratio\t%s / %s\t%.1f\t(ceiling for exact measures)\n", a, b, pps[a] / pps[b]
    else printf "ratio\t%s / %s\t%.1f\t(target >= %s)\n", a, b, pps[a] / pps[b], target
  }' "$results"
