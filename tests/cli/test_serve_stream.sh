#!/bin/sh
# GET /api/v1/stream of truce serve (docs/server.md, "Live stream"): 10,000
# events posted while a client drops its connection and comes back with
# Last-Event-ID several times arrive exactly once each, in order
# (sse_check.py); a filtered stream gives a review that passes and not the
# creations that do not; a reporter's stream holds its own reports; an idle
# stream gets keepalive comments; --max-streams is a cap (503 beyond); a bad
# Last-Event-ID is 400 naming it; SIGTERM with streams open stops at once.
# TRUCE_STREAM_EVENTS sets the number of events (default 10000; the
# sanitizer build uses fewer).
# usage: sh test_serve_stream.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
turkey=$("$truce" token add --db "$db" --role party --party Turkey)
reporter=$("$truce" token add --db "$db" --role reporter)
serve_start "$db" "$A" --max-streams 3 --timeout 2 || exit 1

# Every event exactly once, in order, across reconnections.
n=${TRUCE_STREAM_EVENTS:-10000}
if python3 "$src/tests/cli/sse_check.py" "$url" "$admin" "$n" >"$tmp/check" 2>&1; then
    ok
    reconnects=$(sed -n 's/^reconnects \([0-9]*\).*/\1/p' "$tmp/check")
    [ "${reconnects:-0}" -ge 3 ] && ok || bad "only ${reconnects:-0} reconnections: $(cat "$tmp/check")"
else
    bad "sse_check: $(cat "$tmp/check")"
fi
latest=$(dbq "$db" "SELECT max(seq) FROM changes")

# stream PARAMS TOKEN [CURL-OPTION...]: read the stream for a second and a
# half into $tmp/stream (curl's exit at its time limit is expected).
stream() {
    _q=$1; _t=$2; shift 2
    curl -sN -m 1.5 -H "Authorization: Bearer $_t" "$@" "$url/api/v1/stream$_q" >"$tmp/stream" 2>/dev/null
}

# A filtered stream resumed after the latest change: a report that does not
# pass, then a review of an event that makes it pass (confirmed).
req POST /api/v1/reports "$admin" -d '{"id":"late-1","start":"2020-03-07","lon":36.63,"lat":35.93,"event_type":"Battles"}'
want 201 "posting a report"
req POST /api/v1/events/s-00001/reviews "$turkey" -d '{"action":"confirm"}'
want 201 "confirming s-00001"
stream "?status=confirmed" "$admin" -H "Last-Event-ID: $latest"
PYTHONPATH=$src/tests/cli python3 - "$tmp/stream" "$latest" <<'PY' && ok || bad "filtered stream: $(head -c 600 "$tmp/stream")"
import json, sys
from sse_messages import messages
msgs = messages(sys.argv[1])
assert len(msgs) == 1, msgs
m = msgs[0]
assert int(m["id"]) > int(sys.argv[2]) and m["event"] == "review", m
e = json.loads(m["data"])
assert e["id"] == "s-00001" and e["status"] == "confirmed", e
PY

# A reporter sees its own reports only.
latest=$(dbq "$db" "SELECT max(seq) FROM changes")
req POST /api/v1/reports "$reporter" -d '{"id":"mine-1","start":"2020-03-07","lon":36.6,"lat":35.9,"event_type":"Battles"}'
want 201 "a reporter's report"
req POST /api/v1/reports "$admin" -d '{"id":"theirs-1","start":"2020-03-07","lon":36.6,"lat":35.9,"event_type":"Battles"}'
want 201 "another's report"
stream "?last_event_id=$latest" "$reporter"
grep -c '^event: ' "$tmp/stream" | grep -qx 1 && grep -q '"id":"mine-1"' "$tmp/stream" && ok ||
    bad "reporter's stream: $(head -c 400 "$tmp/stream")"

# An idle stream: keepalive comments (every second with --timeout 2), and it
# is not closed by the idle timeout.
curl -sN -m 3.5 -H "Authorization: Bearer $admin" "$url/api/v1/stream" >"$tmp/idle" 2>/dev/null
[ "$(grep -c '^: keepalive$' "$tmp/idle")" -ge 2 ] && ok || bad "keepalives: $(cat "$tmp/idle")"

# Headers, and a bad Last-Event-ID.
curl -sN -m 0.5 -D "$tmp/h" -o /dev/null -H "Authorization: Bearer $admin" "$url/api/v1/stream"
grep -qi '^content-type: text/event-stream' "$tmp/h" && grep -qi '^cache-control: no-store' "$tmp/h" &&
    ok || bad "stream headers: $(cat "$tmp/h")"
req GET /api/v1/stream "$admin" -H "Last-Event-ID: x1"
want 400 "a bad Last-Event-ID"
json "b['field'] == 'Last-Event-ID'" && ok || bad "field: $(cat "$tmp/body")"
req GET "/api/v1/stream?violation=maybe" "$admin"
want 400 "a bad filter"
req GET /api/v1/stream ""
want 401 "no token"

# --max-streams 3: a fourth is refused while three are open.  A stream of
# the checks above that its client left holds its place until the server
# next writes to it (a keepalive, within a second or two): one of the three
# refused meanwhile (503) is opened again, until the three are in (each
# has the first comment, ": stream").
open_stream() {
    curl -sN -m 20 -H "Authorization: Bearer $admin" "$url/api/v1/stream" >"$tmp/open$1" 2>/dev/null &
}
for i in 1 2 3; do open_stream $i; done
i=0
while [ $i -lt 100 ]; do
    n=0
    for k in 1 2 3; do
        if grep -q '^: stream' "$tmp/open$k"; then
            n=$((n + 1))
        elif grep -q '"status":503' "$tmp/open$k"; then
            open_stream $k
        fi
    done
    [ $n -eq 3 ] && break
    sleep 0.1
    i=$((i + 1))
done
[ $n -eq 3 ] && ok || bad "only $n of three streams opened"
req GET /api/v1/stream "$admin" -m 1
want 503 "a fourth stream"

# SIGTERM with three streams open: it stops at once, exit 0, nothing left.
t0=$(date +%s)
serve_stop
t1=$(date +%s)
[ "$sstatus" -eq 0 ] && ok || bad "exit status $sstatus"
[ $((t1 - t0)) -le 5 ] && ok || bad "stopping took $((t1 - t0)) s with streams open"
grep -q '"msg":"stopped","signal":"SIGTERM","unfinished":0' "$tmp/serve.log" && ok ||
    bad "stopped line: $(tail -2 "$tmp/serve.log")"
wait

echo "test_serve_stream: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
