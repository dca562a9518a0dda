# A throw-away PostgreSQL 15 cluster on 127.0.0.1, for the tests (through
# tests/pg_run.sh) and the benchmarks (bench/run.sh, bench/bench_serve.sh,
# bench/bench_processes.sh).  Sourced.
#
#   pg_cluster_start PORT [SERVER-OPTION...]: initdb in a new temporary
#     directory ($pg_tmp, readable by the server), start the server listening
#     on 127.0.0.1:PORT only (PORT 0: a free port; $pg_port is the one taken;
#     socket in $pg_tmp) with the options given ("-c name=value ..."), and,
#     where PostGIS 3 is installed, create the postgis extension in database
#     postgres.  Sets $pgbin, $pg_as (runuser -u postgres -- when root:
#     initdb refuses root), $psql (a psql command line as superuser `bench`,
#     database postgres) and $pg_url (postgresql://bench@127.0.0.1:PORT).
#     Returns 1, with a message, when PostgreSQL 15 is not installed
#     (scripts/packages.txt).
#   pg_cluster_restart: stop it at once (-m immediate: as a crash) and start
#     it again on the same port and data.
#   pg_cluster_stop: stop it (immediate) and delete $pg_tmp; the caller's
#     EXIT trap must call it.
pgbin=/usr/lib/postgresql/15/bin
pg_tmp=
pg_as=
psql=
pg_port=
pg_url=
pg_opts=

pg_cluster_start() {
    pg_port=$1
    shift
    if [ ! -x "$pgbin/initdb" ]; then
        echo "$0: PostgreSQL 15 not installed (scripts/packages.txt)" >&2
        return 1
    fi
    if [ "$pg_port" = 0 ]; then
        pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fi
    pg_tmp=$(mktemp -d /tmp/truce-pg.XXXXXX)
    chmod 755 "$pg_tmp"
    pg_as=""
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$pg_tmp"
        pg_as="runuser -u postgres --"
    fi
    pg_opts="-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_tmp $*"
    $pg_as "$pgbin/initdb" -D "$pg_tmp/data" -A trust -U bench >/dev/null || return 1
    $pg_as "$pgbin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/log" -w -o "$pg_opts" start >/dev/null ||
        { cat "$pg_tmp/log" >&2; return 1; }
    psql="$pg_as $pgbin/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $pg_port -U bench -d postgres"
    pg_url="postgresql://bench@127.0.0.1:$pg_port"
    if [ -f /usr/share/postgresql/15/extension/postgis.control ]; then
        $psql -c "CREATE EXTENSION postgis" >/dev/null
    fi
}

pg_cluster_restart() {
    $pg_as "$pgbin/pg_ctl" -D "$pg_tmp/data" -m immediate -l "$pg_tmp/log" -w -o "$pg_opts" \
        restart >/dev/null
}

pg_cluster_stop() {
    [ -n "$pg_tmp" ] || return 0
    $pg_as "$pgbin/pg_ctl" -D "$pg_tmp/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_tmp"
    pg_tmp=
}
