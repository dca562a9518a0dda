#!/bin/sh
# Several truce serve processes behind one PostgreSQL database under load
# (docs/performance.md, "Live service", issue 16):
#   sh bench/bench_processes.sh BUILD_DIR [SECONDS]
# The same load as bench/bench_serve.sh (wrk posting distinct reports,
# bench/post_reports.lua, 64 connections in all, SECONDS each, default 10)
# against: SQLite, one process; PostgreSQL 15 (a throw-away cluster,
# scripts/pg_cluster.sh, fsync and synchronous_commit on), one, two and
# three processes on one database, the connections shared among them (a wrk
# per process, all at once).  After each run nothing may be lost or stored
# twice: every 2xx wrk saw is a stored event, at most the requests in
# flight more, each once.  Prints per run: reports/s (the sum over the
# processes), p50 and p99 (the largest of the processes'), ms.  Run it on a
# quiet machine: the ratios are what counts.
set -eu
build=$1
secs=${2:-10}
conns=64
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_built "$truce"
bench_installed wrk
. "$here/../scripts/pg_cluster.sh"
work=$(mktemp -d /tmp/truce-bench-processes.XXXXXX)
pids=
cleanup() {
    for p in $pids; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    pg_cluster_stop
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
    echo "bench_processes.sh: $*" >&2
    exit 1
}

# serve DB N: start truce serve process N on DB; its port in $port.
serve() {
    : >"$work/serve.$2.log"
    "$truce" serve --db "$1" --listen 127.0.0.1:0 ${TRUCE_SERVE_OPTIONS:-} "$agreement" \
        2>"$work/serve.$2.log" &
    pids="$pids $!"
    bench_listening $! "$work/serve.$2.log"
}

# run LABEL DB N COUNT-SQL: N processes on DB, a wrk each with conns / N
# connections, at once; checks what was stored (COUNT-SQL prints the
# number of events, then of events with more than one verdict) and prints
# the line.
run() {
    label=$1 db=$2 n=$3 count_sql=$4
    token=$("$truce" token add --db "$db" --role reporter --name loadbench)
    pids=
    k=1
    while [ $k -le "$n" ]; do
        serve "$db" $k
        eval "port$k=\$port"
        k=$((k + 1))
    done
    k=1
    wpids=
    while [ $k -le "$n" ]; do
        eval "p=\$port$k"
        TRUCE_TOKEN=$token TRUCE_ID_PREFIX=p$n-$k wrk -c $((conns / n)) -t 1 -d "${secs}s" \
            --timeout 10s -s "$here/post_reports.lua" "http://127.0.0.1:$p" >"$work/wrk.$k.out" &
        wpids="$wpids $!"
        k=$((k + 1))
    done
    for p in $wpids; do wait "$p"; done
    for p in $pids; do kill -TERM "$p"; wait "$p" || fail "$label: truce serve exited with status $?"; done
    pids=
    ok=0 other=0 errors=0 rps=0 p50=0 p99=0
    k=1
    while [ $k -le "$n" ]; do
        line=$(grep '^wrk	' "$work/wrk.$k.out") || fail "$label: no summary from wrk $k"
        set -- $line
        ok=$((ok + $3)) other=$((other + $4)) errors=$((errors + $5))
        rps=$(awk -v a="$rps" -v n="$3" -v s="$6" 'BEGIN { printf "%.0f", a + n / s }')
        p50=$(awk -v a="$p50" -v b="$7" 'BEGIN { print (b > a ? b : a) }')
        p99=$(awk -v a="$p99" -v b="$8" 'BEGIN { print (b > a ? b : a) }')
        k=$((k + 1))
    done
    set -- $(eval "$count_sql")
    stored=$1 twice=$2
    [ "$other" -eq 0 ] || fail "$label: $other answers were not 2xx"
    [ "$errors" -eq 0 ] || fail "$label: $errors socket errors or timeouts"
    [ "$twice" -eq 0 ] || fail "$label: $twice events with more than one verdict"
    [ "$stored" -ge "$ok" ] && [ "$stored" -le $((ok + conns)) ] ||
        fail "$label: wrk got $ok answers 2xx, $stored events stored"
    printf '%s\t%s reports/s\tp50 %s ms\tp99 %s ms\t(%s answered 2xx, %s stored once)\n' \
        "$label" "$rps" "$p50" "$p99" "$ok" "$stored"
}

twice_sql="SELECT count(*) FROM (SELECT event_seq FROM verdicts GROUP BY event_seq HAVING count(*) > 1) AS d"
db=$work/truce.db
run "sqlite, 1 process" "$db" 1 \
    'sqlite3 "$db" "SELECT count(*) FROM events"; sqlite3 "$db" "$twice_sql"'

pg_cluster_start 0 -c max_connections=100 -c shared_buffers=256MB -c fsync=on \
    -c synchronous_commit=on || fail "PostgreSQL 15 is needed"
for n in 1 2 3; do
    $psql -c "CREATE DATABASE p$n"
    pg=$pg_url/p$n
    run "postgresql, $n process$([ $n -gt 1 ] && echo es || true)" "$pg" $n \
        'psql -X -q -At "$pg" -c "SELECT count(*) FROM events"; psql -X -q -At "$pg" -c "$twice_sql"'
done
