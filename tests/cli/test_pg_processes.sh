#!/bin/sh
# Several truce serve processes behind one PostgreSQL database serve one
# API (docs/server.md, "PostgreSQL"): three processes; reports posted
# round-robin, three clients at once, are each stored once; a stream
# client on each process sees every event once, in order, whichever
# process stored it (LISTEN/NOTIFY); a webhook gets each change once,
# though every process sends deliveries (FOR UPDATE SKIP LOCKED); a
# confirm and a dispute of one event at two processes at once leave one
# consistent history.  Its own throw-away cluster (scripts/pg_cluster.sh);
# skipped (77) where PostgreSQL 15 is not installed.
# usage: sh test_pg_processes.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
. "$src/scripts/pg_cluster.sh"
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL 15 not installed: skipped"; exit 77; }
pids=
rpid=
trap 'kill $pids $rpid 2>/dev/null; pg_cluster_stop; rm -rf "$tmp"' EXIT
pg_cluster_start 0 -c fsync=on || exit 1
$psql -c "CREATE DATABASE processes" || exit 1
db=$pg_url/processes
A=$src/data/idlib-2020/agreement.geojson
admin=$("$truce" token add --db "$db" --role admin)
turkey=$("$truce" token add --db "$db" --role party --party Turkey)
russia=$("$truce" token add --db "$db" --role party --party Russia)
procs=3
per=${TRUCE_PG_REPORTS:-40} # reports per client

# The webhook receiver (as test_serve_webhooks.sh's).
log=$tmp/received.jsonl
: >"$log"
python3 "$src/tests/cli/webhook_receiver.py" 0 "$tmp/rport" "$log" s3cret &
rpid=$!
i=0
while [ ! -s "$tmp/rport" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
rport=$(cat "$tmp/rport")

# The processes, all started at once (their migrations wait for one
# another), each with its own log.
p=1
while [ $p -le $procs ]; do
    serve_start "$db" "$A" --webhook-retry 0.2 || exit 1
    mv "$tmp/serve.log" "$tmp/serve.$p.log"
    eval "url$p=\$url"
    pids="$pids $spid"
    p=$((p + 1))
done
url=$url1
req POST /api/v1/webhooks "$admin" -d "{\"url\":\"http://127.0.0.1:$rport/hook\",\"secret\":\"s3cret\"}"
want 201 "registering a webhook"

# A stream client on each process, from the start.
p=1
while [ $p -le $procs ]; do
    eval "u=\$url$p"
    curl -sN -m 60 -H "Authorization: Bearer $admin" "$u/api/v1/stream" >"$tmp/stream.$p" 2>/dev/null &
    eval "cpid$p=\$!"
    p=$((p + 1))
done
sleep 0.5

# client N: `per` reports, the I-th to process I mod procs.
client() {
    _i=1
    while [ $_i -le "$per" ]; do
        eval "_u=\$url$(( (_i + $1) % procs + 1 ))"
        _code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin" \
            -d "{\"id\":\"p$1-$_i\",\"start\":\"2020-03-0$((_i % 9 + 1))\",\"lon\":36.$((_i % 90 + 10)),\"lat\":35.8,\"event_type\":\"Battles\"}" \
            "$_u/api/v1/reports")
        [ "$_code" = 201 ] || echo "p$1-$_i $_code" >>"$tmp/refused"
        _i=$((_i + 1))
    done
}
client 1 &
c1=$!
client 2 &
c2=$!
client 3 &
c3=$!
wait $c1 $c2 $c3
total=$((3 * per))
[ ! -s "$tmp/refused" ] && ok || bad "refused: $(head -3 "$tmp/refused")"
[ "$(dbq "$db" "SELECT count(*) FROM events")" = $total ] && ok ||
    bad "$(dbq "$db" "SELECT count(*) FROM events") events stored, expected $total"
[ "$(dbq "$db" "SELECT count(DISTINCT event_seq) FROM verdicts")" = $total ] && ok || bad "verdicts"
# The same report again at another process: stored once.
url=$url2
req POST /api/v1/reports "$admin" -d '{"id":"p1-1","start":"2020-03-02","lon":36.11,"lat":35.8,"event_type":"Battles"}'
want 200 "p1-1 again at another process"

# A confirm and a dispute of one event at two processes at once.
curl -s -o "$tmp/confirm" -H "Authorization: Bearer $turkey" -d '{"action":"confirm"}' \
    "$url1/api/v1/events/p2-2/reviews" &
r1=$!
curl -s -o "$tmp/dispute" -H "Authorization: Bearer $russia" -d '{"action":"dispute","note":"not there"}' \
    "$url3/api/v1/events/p2-2/reviews" &
r2=$!
wait $r1 $r2
url=$url2
req GET /api/v1/events/p2-2 "$admin"
want 200 "the reviewed event"
json "len(b['reviews']) == 2 and b['reviews'][0]['from'] == 'submitted' and b['reviews'][1]['from'] == b['reviews'][0]['to'] and b['status'] == b['reviews'][1]['to'] and {r['party'] for r in b['reviews']} == {'Turkey', 'Russia'}" &&
    ok || bad "a confirm and a dispute at once: $(python3 -c "import json,sys; b=json.load(open(sys.argv[1])); print(b['status'], b['reviews'])" "$tmp/body") $(cat "$tmp/confirm" "$tmp/dispute")"

# Every stream saw every change once, in order.
changes=$(dbq "$db" "SELECT count(*) FROM changes")
i=0
while [ $i -lt 100 ]; do
    done_=1
    p=1
    while [ $p -le $procs ]; do
        [ "$(grep -c '^id: ' "$tmp/stream.$p")" -ge "$changes" ] || done_=0
        p=$((p + 1))
    done
    [ $done_ = 1 ] && break
    sleep 0.1
    i=$((i + 1))
done
p=1
while [ $p -le $procs ]; do
    eval "kill \$cpid$p" 2>/dev/null
    PYTHONPATH=$src/tests/cli python3 - "$tmp/stream.$p" "$changes" "$total" <<'PY' && ok || bad "stream at process $p: $(head -c 300 "$tmp/stream.$p")"
import json, sys
from sse_messages import messages
msgs = messages(sys.argv[1])
ids = [int(m["id"]) for m in msgs]
assert len(ids) == int(sys.argv[2]), (len(ids), sys.argv[2])
assert ids == sorted(set(ids)), "not in order, or twice"
created = [json.loads(m["data"])["id"] for m in msgs if m["event"] == "created"]
assert len(created) == len(set(created)) == int(sys.argv[3]), len(created)
PY
    p=$((p + 1))
done

# The webhook: each change delivered once (by one of the processes).
i=0
while [ $i -lt 200 ] && [ "$(wc -l <"$log")" -lt "$changes" ]; do sleep 0.1; i=$((i + 1)); done
sleep 1 # a second delivery of one, if any, arrives
[ "$(wc -l <"$log")" -eq "$changes" ] && ok || bad "the webhook got $(wc -l <"$log") requests for $changes changes"
[ "$(sed 's/.*"change": \([0-9]*\).*/\1/' "$log" | sort -u | wc -l)" -eq "$changes" ] && ok ||
    bad "a change delivered twice or not at all"
[ "$(dbq "$db" "SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered' AND attempts = 1")" -eq "$changes" ] &&
    ok || bad "deliveries: $(dbq "$db" "SELECT state, attempts, count(*) FROM webhook_deliveries GROUP BY 1, 2")"

for pid in $pids; do
    kill -TERM "$pid"
    wait "$pid" || bad "a process exited with status $?"
done
pids=
echo "pg_processes: $procs processes, $total reports, $changes changes, each stream saw all; webhook requests $(wc -l <"$log")"
echo "pg_processes: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
