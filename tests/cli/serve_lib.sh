# Sourced by the tests of truce serve, after lib.sh: start and stop a server
# on 127.0.0.1 with a free port, and make requests to it with curl.
#
# serve_start DB AGREEMENT [OPTION...]: starts truce serve in the background
# ($spid), its stderr in $tmp/serve.log, and waits (at most 10 s) for its
# "listening" line: $url is then http://127.0.0.1:PORT.
serve_start() {
    _db=$1; _ag=$2; shift 2
    : >"$tmp/serve.log"
    "$truce" serve --db "$_db" --listen 127.0.0.1:0 "$@" "$_ag" 2>>"$tmp/serve.log" &
    spid=$!
    _i=0
    url=
    while [ $_i -lt 200 ]; do
        _port=$(sed -n 's/.*"msg":"listening","listen":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$tmp/serve.log")
        if [ -n "$_port" ]; then url=http://127.0.0.1:$_port; return 0; fi
        kill -0 $spid 2>/dev/null || break
        sleep 0.05
        _i=$((_i + 1))
    done
    echo "truce serve did not start:" >&2; cat "$tmp/serve.log" >&2
    return 1
}

# serve_stop: SIGTERM, and wait; $sstatus is its exit status.
serve_stop() {
    kill -TERM $spid 2>/dev/null
    wait $spid
    sstatus=$?
}

# req METHOD PATH TOKEN [CURL-OPTION...]: the answer's status in $code, its
# body in $tmp/body, its headers in $tmp/headers (TOKEN "" sends none).
req() {
    _m=$1; _p=$2; _t=$3; shift 3
    if [ -n "$_t" ]; then
        code=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -X "$_m" \
            -H "Authorization: Bearer $_t" "$@" "$url$_p")
    else
        code=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -X "$_m" "$@" "$url$_p")
    fi
}

# want CODE WHAT: the last answer had status CODE.
want() {
    [ "$code" = "$1" ] && ok || bad "$2: status $code, expected $1: $(head -c 300 "$tmp/body")"
}

# json EXPR: the Python expression EXPR, with `b` the last answer's JSON
# body, is true.
json() {
    python3 -c "import json,sys; b=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" \
        "$tmp/body" 2>/dev/null
}

# store_db NAME: the --db of a new, empty store named NAME: $tmp/NAME.db, or,
# under tests/pg_run.sh (TRUCE_TEST_PG set), a new database NAME in its
# PostgreSQL cluster.  Every serve test makes its stores here, so that the
# whole suite runs against both backends (ctest's cli.test_serve_*.pg).
store_db() {
    if [ -n "${TRUCE_TEST_PG:-}" ]; then
        psql -X -q "$TRUCE_TEST_PG/postgres" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" \
            -c "CREATE DATABASE $1" >/dev/null && echo "$TRUCE_TEST_PG/$1"
    else
        echo "$tmp/$1.db"
    fi
}

# dbq DB SQL: the rows SQL selects from store DB, columns joined by |, as
# sqlite3 prints them (psql for PostgreSQL).
dbq() {
    case $1 in
    postgres*) psql -X -q -At "$1" -c "$2" ;;
    *) sqlite3 "$1" "$2" ;;
    esac
}

# sqlite_only DB WHAT: true for a SQLite store; for PostgreSQL says that
# WHAT (a check only SQLite has: integrity_check, a file's size) is skipped.
sqlite_only() {
    case $1 in
    postgres*) echo "skipped on PostgreSQL: $2" >&2; return 1 ;;
    esac
    return 0
}
