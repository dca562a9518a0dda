# A throw-away PostgreSQL 15 + PostGIS cluster on 127.0.0.1 for the
# benchmarks (sourced by bench/run.sh and bench/bench_serve.sh).
#
#   pg_cluster_start PORT [SERVER-OPTION...]: initdb in a new temporary
#     directory ($pg_tmp, readable by the server), start the server listening
#     on 127.0.0.1:PORT only (socket in $pg_tmp) with the options given
#     ("-c name=value ..."), and create the postgis extension.  Sets
#     $pgbin, $pg_as (runuser -u postgres -- when root: initdb refuses root)
#     and $psql (a psql command line as superuser `bench`, database
#     postgres).  Returns 1, with a message, when PostgreSQL 15 with PostGIS 3
#     is not installed.
#   pg_cluster_stop: stop it (immediate) and delete $pg_tmp; also run on exit
#     once started (the caller's EXIT trap, when it has one, must call it).
pgbin=/usr/lib/postgresql/15/bin
pg_tmp=
pg_as=
psql=

pg_cluster_start() {
    _port=$1
    shift
    if [ ! -x "$pgbin/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
        echo "$0: PostgreSQL 15 with PostGIS 3 not installed (scripts/packages-bench.txt)" >&2
        return 1
    fi
    pg_tmp=$(mktemp -d /tmp/truce-bench-pg.XXXXXX)
    chmod 755 "$pg_tmp"
    pg_as=""
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$pg_tmp"
        pg_as="runuser -u postgres --"
    fi
    $pg_as "$pgbin/initdb" -D "$pg_tmp/data" -A trust -U bench >/dev/null
    $pg_as "$pgbin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $_port -k $pg_tmp $*" start >/dev/null
    psql="$pg_as $pgbin/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $_port -U bench -d postgres"
    $psql -c "CREATE EXTENSION postgis" >/dev/null
}

pg_cluster_stop() {
    [ -n "$pg_tmp" ] || return 0
    $pg_as "$pgbin/pg_ctl" -D "$pg_tmp/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_tmp"
    pg_tmp=
}
