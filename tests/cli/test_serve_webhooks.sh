#!/bin/sh
# Webhooks of truce serve (docs/server.md, "Webhooks"), against a receiver
# on 127.0.0.1 that checks every signature (webhook_receiver.py): each event
# posted reaches the webhook whose filter it passes, signed; with the
# receiver down a while, every delivery arrives once it is back; with the
# server killed (SIGKILL) during the retries, they resume after a restart;
# a webhook registered with another secret than the receiver's fails every
# check; the delivery log; registering checks url, secret and filter; only
# admins; DELETE deactivates.  --webhook-retry 0.1 shortens the backoff.
# usage: sh test_serve_webhooks.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
viewer=$("$truce" token add --db "$db" --role viewer)
log=$tmp/received.jsonl
: >"$log"
rpid=
receiver_start() { # PORT
    rm -f "$tmp/rport"
    python3 "$src/tests/cli/webhook_receiver.py" "$1" "$tmp/rport" "$log" s3cret &
    rpid=$!
    _i=0
    while [ ! -s "$tmp/rport" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
    rport=$(cat "$tmp/rport")
}
receiver_stop() { kill $rpid 2>/dev/null; wait $rpid 2>/dev/null; rpid=; }
trap 'receiver_stop; [ -n "${spid:-}" ] && kill -9 $spid 2>/dev/null; rm -rf "$tmp"' EXIT
receiver_start 0
serve_start "$db" "$A" --webhook-retry 0.1 || exit 1

# post FIRST LAST: reports w-FIRST .. w-LAST, every third away from the
# Idlib area (no violation).
post() {
    _i=$1
    while [ "$_i" -le "$2" ]; do
        if [ $((_i % 3)) -eq 0 ]; then lon=38.5; else lon=36.63; fi
        req POST /api/v1/reports "$admin" \
            -d "{\"id\":\"w-$_i\",\"start\":\"2020-03-07\",\"lon\":$lon,\"lat\":35.93,\"event_type\":\"Battles\"}"
        [ "$code" = 201 ] || bad "posting w-$_i: $code $(cat "$tmp/body")"
        _i=$((_i + 1))
    done
}
# arrived N: wait (at most 30 s) until N distinct events reached /good with
# a good signature.
arrived() {
    _i=0
    while [ $_i -lt 300 ]; do
        n=$(grep '"path": "/good"' "$log" | grep '"ok": true' | sed 's/.*"event": "\([^"]*\)".*/\1/' | sort -u | wc -l)
        [ "$n" -ge "$1" ] && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}

# Registering: checked, admins only, the secret never shown.
req POST /api/v1/webhooks "$viewer" -d "{\"url\":\"http://127.0.0.1:$rport/good\",\"secret\":\"s3cret\"}"
want 403 "a viewer registering"
req POST /api/v1/webhooks "$admin" -d '{"url":"ftp://127.0.0.1/x","secret":"s3cret"}'
want 400 "an ftp URL"
json "b['field'] == 'url'" && ok || bad "field: $(cat "$tmp/body")"
req POST /api/v1/webhooks "$admin" -d "{\"url\":\"http://127.0.0.1:$rport/good\"}"
want 400 "no secret"
json "b['field'] == 'secret'" && ok || bad "field: $(cat "$tmp/body")"
req POST /api/v1/webhooks "$admin" \
    -d "{\"url\":\"http://127.0.0.1:$rport/good\",\"secret\":\"s3cret\",\"filter\":{\"violation\":\"maybe\"}}"
want 400 "a bad filter"
json "b['field'] == 'filter.violation'" && ok || bad "field: $(cat "$tmp/body")"
req POST /api/v1/webhooks "$admin" \
    -d "{\"url\":\"http://127.0.0.1:$rport/good\",\"secret\":\"s3cret\",\"filter\":{\"colour\":\"red\"}}"
want 400 "an unknown filter parameter"
req POST /api/v1/webhooks "$admin" -d "{\"url\":\"http://127.0.0.1:$rport/good\",\"secret\":\"s3cret\",\"filter\":{}}"
want 201 "registering /good"
good=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/body")
req POST /api/v1/webhooks "$admin" \
    -d "{\"url\":\"http://127.0.0.1:$rport/wrong\",\"secret\":\"not-the-receivers\",\"filter\":{\"violation\":\"yes\"}}"
want 201 "registering /wrong"
json "b['filter'] == {'violation': 'yes'} and b['active'] and 'secret' not in b" && ok ||
    bad "registered: $(cat "$tmp/body")"
wrong=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/body")
req GET /api/v1/webhooks "$admin"
want 200 "listing"
grep -q 's3cret\|not-the-receivers' "$tmp/body" && bad "a secret in the listing" || ok

# Every event to /good, signed; the violations to /wrong, whose checks fail.
post 1 12
arrived 12 && ok || bad "only $n of 12 events arrived"

# The receiver down for a while: the deliveries wait and then arrive.
receiver_stop
post 13 20
sleep 1.5
req GET "/api/v1/webhooks/$good/deliveries?limit=1000" "$admin"
want 200 "the delivery log"
python3 - "$tmp/body" <<'PY' && ok || bad "no failed attempt logged while down: $(head -c 600 "$tmp/body")"
import json, sys
d = json.load(open(sys.argv[1]))["deliveries"]
failed = [a for x in d for a in x["attempts"] if a["status"] is None and a["error"]]
assert failed and any(x["state"] == "pending" and x["next_attempt_at"] for x in d), d
PY
receiver_start "$rport"
arrived 20 && ok || bad "after the receiver came back, only $n of 20 events arrived"

# Killed during the retries: they resume after the restart.
receiver_stop
post 21 28
sleep 1
kill -9 $spid
wait $spid 2>/dev/null
spid=
receiver_start "$rport"
serve_start "$db" "$A" --webhook-retry 0.1 || exit 1
arrived 28 && ok || bad "after kill -9 and a restart, only $n of 28 events arrived"

# Each event once a good signature; none delivered twice (a delivery is
# answered once; a retry follows only a failure).
python3 - "$log" <<'PY' && ok || bad "received: $(head -c 800 "$log")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
good = [r for r in rows if r["path"] == "/good"]
ok = [r for r in good if r["ok"]]
assert all(r["ok"] for r in good), "a bad signature at /good"
assert sorted(r["event"] for r in ok) == sorted("w-%d" % i for i in range(1, 29)), "each once"
assert all(r["kind"] == "created" and r["type"] == "application/json" for r in ok)
wrong = [r for r in rows if r["path"] == "/wrong"]
assert wrong and not any(r["ok"] for r in wrong), "a good signature with another secret"
assert all(r["violation"] == "violation" for r in wrong), "the filter let a non-violation through"
PY

# DELETE: deactivated, kept in the listing with its log; nothing more queued.
req DELETE "/api/v1/webhooks/$wrong" "$admin"
want 200 "deactivating"
json "not b['active'] and b['deactivated_at']" && ok || bad "deactivated: $(cat "$tmp/body")"
req DELETE "/api/v1/webhooks/$wrong" "$admin"
want 404 "deactivating again"
req GET "/api/v1/webhooks/$wrong/deliveries?limit=2" "$admin"
want 200 "the log of a deactivated webhook"
json "len(b['deliveries']) == 2 and b['next']" && ok || bad "paged log: $(head -c 300 "$tmp/body")"
grep -qi '^link: <' "$tmp/headers" && ok || bad "no Link header"
req GET /api/v1/webhooks/999/deliveries "$admin"
want 404 "no such webhook"

serve_stop
[ "$sstatus" -eq 0 ] && ok || bad "exit status $sstatus"
echo "test_serve_webhooks: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
