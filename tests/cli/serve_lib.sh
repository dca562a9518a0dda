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
