#!/bin/sh
# truce serve's access rules and bad input (docs/server.md): every route
# without a token is 401 and with a role that may not is 403, answered from
# the headers; a reporter cannot review; a party cannot review for the
# other; a revoked token fails at once; a body over --max-body is 413, with
# or without Content-Length; malformed JSON is 400 naming the field and
# stores nothing; a report comes back as truce classify writes it; ids,
# idempotency keys and the review states; one access-log line per request,
# never a token; SIGTERM finishes the request in flight and exits 0.
# usage: sh test_serve_access.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
E=$src/data/idlib-2020/events.geojson
db=$(store_db t)
count() { dbq "$db" "SELECT count(*) FROM $1"; }

admin=$("$truce" token add --db "$db" --role admin)
russia=$("$truce" token add --db "$db" --role party --party Russia)
turkey=$("$truce" token add --db "$db" --role party --party Turkey)
reporter=$("$truce" token add --db "$db" --role reporter)
reporter2=$("$truce" token add --db "$db" --role reporter)
viewer=$("$truce" token add --db "$db" --role viewer)
serve_start "$db" "$A" --max-body 4000 || exit 1

req GET /healthz ""
want 200 "healthz without a token"

# Every route: no token, an unknown token -> 401, with a problem naming the header.
for r in "POST /api/v1/reports" "GET /api/v1/events" "GET /api/v1/events/x" "POST /api/v1/events/x/reviews" \
    "GET /api/v1/nothing"; do
    set -- $r
    req $1 $2 "" -d '{}'
    want 401 "$r without a token"
    grep -qi '^content-type: application/problem+json' "$tmp/headers" && json 'b["field"] == "Authorization"' &&
        ok || bad "$r: 401 is not a problem naming Authorization"
    grep -qi '^www-authenticate: Bearer' "$tmp/headers" && ok || bad "$r: no WWW-Authenticate"
    req $1 $2 "not-a-token" -d '{}'
    want 401 "$r with an unknown token"
done
# Refused from the headers: a body is not needed, however large.
head -c 100000 /dev/zero | tr '\0' x >"$tmp/big"
req POST /api/v1/reports "" --data-binary @"$tmp/big"
want 401 "no token and a body over the limit"

# ...and before any of it is read: a client that waits for "100 Continue"
# sends none of a 50 MB stream.
for t in "" "$viewer"; do
    head -c 50000000 /dev/zero | curl -s -o /dev/null -w '%{http_code} %{size_upload}\n' \
        -X POST ${t:+-H "Authorization: Bearer $t"} -T - "$url/api/v1/reports" >"$tmp/early"
    grep -qE '^40[13] 0$' "$tmp/early" && ok || bad "refused from the headers, yet the body was sent: $(cat "$tmp/early")"
done

# Roles that may not -> 403.
req POST /api/v1/reports "$viewer" -d '{}'
want 403 "a viewer submits"
req POST /api/v1/reports "$viewer" --data-binary @"$tmp/big"
want 403 "a viewer submits a body over the limit"
for t in "$viewer" "$reporter"; do
    req POST /api/v1/events/x/reviews "$t" -d '{"action":"confirm"}'
    want 403 "a viewer or reporter reviews"
done

# A report comes back as one line of truce classify --format jsonl, plus
# status, received_at and likely_duplicates (test_serve_duplicates.sh).
"$truce" events "$E" 2>/dev/null | head -3 >"$tmp/events.jsonl"
sed -n 1p "$tmp/events.jsonl" >"$tmp/one.json"
id1=$(sed 's/^{"id":"\([^"]*\)".*/\1/' "$tmp/one.json")
"$truce" classify --format jsonl "$A" "$tmp/one.json" >"$tmp/classified.json" 2>/dev/null
req POST /api/v1/reports "$reporter" -H 'Content-Type: application/json' --data-binary @"$tmp/one.json"
want 201 "a report"
grep -qi "^location: /api/v1/events/$id1" "$tmp/headers" && ok || bad "no Location"
python3 - "$tmp/body" "$tmp/classified.json" <<'PY' && ok || bad "the answer is not classify's record plus status and received_at"
import json, re, sys
body = open(sys.argv[1]).read()
line = open(sys.argv[2]).read().rstrip("\n")
m = re.fullmatch(r'(.*),"status":"submitted","received_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z","likely_duplicates":\[\]\}', body)
sys.exit(0 if m and m.group(1) + "}" == line else 1)
PY
# The same again: 200, the same event, stored once; the id with another body: 409.
req POST /api/v1/reports "$reporter" --data-binary @"$tmp/one.json"
want 200 "the same report again"
sed 's/"fatalities":null/"fatalities":7/' "$tmp/one.json" >"$tmp/other.json"
req POST /api/v1/reports "$reporter" --data-binary @"$tmp/other.json"
want 409 "another event with a stored id"
json 'b["field"] == "id"' && ok || bad "409 does not name id"
[ "$(count events)" = 1 ] && ok || bad "events stored: $(count events), expected 1"

# Without an id, one is given.
req POST /api/v1/reports "$russia" -d '{"start":"2020-03-07","lon":36.6,"lat":35.8,"event_type":"Battles"}'
want 201 "a report without id"
json 'b["id"].startswith("report-") and b["violation"] in ("violation","possible","none")' &&
    ok || bad "no id given or no verdict"
# A GeoJSON Feature.
req POST /api/v1/reports "$turkey" -d '{"type":"Feature","id":"f1","geometry":{"type":"Point","coordinates":[36.6,35.8]},"properties":{"date":"2020-03-08","event_type":"Battles"}}'
want 201 "a GeoJSON Feature"
json 'b["id"] == "f1" and b["format"] == "geojson"' && ok || bad "the Feature's id and format"

# Idempotency-Key: a retry gets the same answer and stores nothing twice.
n=$(count events)
req POST /api/v1/reports "$reporter" -H 'Idempotency-Key: k1' -d '{"start":"2020-03-09","event_type":"Battles"}'
want 201 "a report with a key"
cp "$tmp/body" "$tmp/first"
req POST /api/v1/reports "$reporter" -H 'Idempotency-Key: k1' -d '{"start":"2020-03-09","event_type":"Battles"}'
want 201 "its retry"
cmp -s "$tmp/body" "$tmp/first" && ok || bad "the retry's answer differs"
[ "$(count events)" = $((n + 1)) ] && ok || bad "a retry stored a second event"
req POST /api/v1/reports "$reporter" -H 'Idempotency-Key: k1' -d '{"start":"2020-03-10","event_type":"Battles"}'
want 422 "a key with another request"
json 'b["field"] == "Idempotency-Key"' && ok || bad "422 does not name the key"

# Bad input: 400 naming the field, nothing stored.
n=$(count events)
req POST /api/v1/reports "$admin" -d '{"id":"b1","start":"2020-03-09",'
want 400 "malformed JSON"
json '"not JSON" in b["detail"] and "column" in b["detail"]' && ok || bad "malformed JSON: detail"
req POST /api/v1/reports "$admin" -d '{"id":"b2","start":"2020-03-09","fatalities":"many"}'
want 400 "a string for fatalities"
json 'b["field"] == "fatalities"' && ok || bad "400 does not name fatalities"
req POST /api/v1/reports "$admin" -d '{"id":"b3","start":"2020-03-09","lon":200,"lat":35}'
want 400 "a longitude out of range"
json 'b["field"] == "lon"' && ok || bad "400 does not name lon: $(cat "$tmp/body")"
req POST /api/v1/reports "$admin" -d '{"id":"b4","start":"2020-03-09","notes":"a\u0000b"}'
want 400 "a NUL in a text field"
json 'b["field"] == "notes"' && ok || bad "400 does not name notes"
printf '{"id":"b5","start":"2020-03-09","notes":"\377"}' >"$tmp/latin1"
req POST /api/v1/reports "$admin" --data-binary @"$tmp/latin1"
want 400 "bytes that are not UTF-8"
req POST /api/v1/reports "$admin" -d '[1,2]'
want 400 "not an object"
req POST /api/v1/reports "$admin" -d '{"type":"FeatureCollection","features":[]}'
want 400 "a FeatureCollection"
[ "$(count events)" = "$n" ] && [ "$(count verdicts)" = "$n" ] && ok || bad "a bad report stored something"
# Text that looks like SQL or HTML is data: stored as given, returned as valid JSON.
req POST /api/v1/reports "$admin" -d "{\"id\":\"x'); DROP TABLE events;--\",\"start\":\"2020-03-09\",\"notes\":\"<script>alert(1)</script>\"}"
want 201 "SQL and <script> in text"
req GET "/api/v1/events/x');%20DROP%20TABLE%20events;--" "$admin"
want 200 "reading it back"
json 'b["notes"] == "<script>alert(1)</script>"' && ok || bad "the note did not come back as sent"

# Over the limit: 413, with Content-Length and streamed without it.
req POST /api/v1/reports "$admin" --data-binary @"$tmp/big"
want 413 "a body over --max-body"
json 'b["status"] == 413' && ok || bad "413 is not a problem"
req POST /api/v1/reports "$admin" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/big"
want 413 "a chunked body over --max-body"
# A stream far past the limit is cut off rather than read to its end.
head -c 50000000 /dev/zero | curl -s -o /dev/null -X POST -H "Authorization: Bearer $admin" \
    -T - "$url/api/v1/reports"
[ $? -ne 0 ] && ok || bad "a 50 MB stream was read to its end"
req GET /healthz ""
want 200 "healthz after a cut-off stream"
[ "$(count events)" = $((n + 1)) ] && ok || bad "an oversized body stored something"

# Reading: a reporter sees its own reports only; 404 for none.
req GET "/api/v1/events/$id1" "$reporter"
want 200 "a reporter reads its report"
req GET "/api/v1/events/$id1" "$reporter2"
want 403 "a reporter reads another's report"
req GET "/api/v1/events/$id1" "$viewer"
want 200 "a viewer reads"
req GET /api/v1/events/nope "$viewer"
want 404 "no such event"
req DELETE "/api/v1/events/$id1" "$admin"
want 405 "DELETE"
grep -qi '^allow: GET' "$tmp/headers" && ok || bad "405 without Allow"
req GET /api/v1/nothing "$admin"
want 404 "an unknown path"

# Reviews: each party for itself; the states.
rv="/api/v1/events/$id1/reviews"
req POST "$rv" "$russia" -d '{"action":"confirm","party":"Turkey"}'
want 403 "Russia confirms for Turkey"
json 'b["field"] == "party"' && ok || bad "403 does not name party"
req POST "$rv" "$russia" -d '{"action":"confirm"}'
want 201 "Russia confirms"
json 'b["status"] == "confirmed" and b["confirmed_by"] == ["Russia"]' && ok || bad "not confirmed by Russia"
req POST "$rv" "$russia" -d '{"action":"confirm"}'
want 409 "Russia confirms twice"
req POST "$rv" "$turkey" -d '{"action":"dispute"}'
want 400 "a dispute without a note"
json 'b["field"] == "note"' && ok || bad "400 does not name note"
req POST "$rv" "$turkey" -d '{"action":"dispute","note":"not our forces"}'
want 201 "Turkey disputes"
json 'b["status"] == "disputed"' && ok || bad "not disputed"
req POST "$rv" "$turkey" -d '{"action":"reject","note":"x"}'
want 403 "a party rejects"
req POST "$rv" "$turkey" -d '{"action":"confirm"}'
want 201 "Turkey confirms"
json 'b["status"] == "jointly_verified"' && ok || bad "not jointly verified"
req POST "$rv" "$admin" -d '{"action":"approve"}'
want 400 "an unknown action"
json 'b["field"] == "action"' && ok || bad "400 does not name action"
req POST "$rv" "$admin" -d '{"action":"comment",'
want 400 "a malformed review"
req POST /api/v1/events/nope/reviews "$admin" -d '{"action":"comment","note":"x"}'
want 404 "a review of no event"
req GET "/api/v1/events/$id1" "$viewer"
json 'b["status"] == "jointly_verified" and [r["action"] for r in b["reviews"]] == ["confirm","dispute","confirm"] and b["reviews"][1]["note"] == "not our forces"' &&
    ok || bad "the history: $(cat "$tmp/body")"
[ "$(count reviews)" = 3 ] && ok || bad "refused reviews were stored"

# A revoked token fails at once, on the running server.
req GET "/api/v1/events/$id1" "$viewer"
want 200 "the viewer before revocation"
"$truce" token revoke --db "$db" 6 && ok || bad "revoke"
req GET "/api/v1/events/$id1" "$viewer"
want 401 "the viewer after revocation"

# SIGTERM while a report is still being uploaded (slowly): that request is
# finished and stored, then the server exits 0.
python3 -c 'import json; print(json.dumps({"id": "slow", "start": "2020-03-09", "notes": "x" * 3000}))' >"$tmp/slow.json"
curl -s -o "$tmp/slow.out" -w '%{http_code}' --limit-rate 2K -H "Authorization: Bearer $admin" \
    --data-binary @"$tmp/slow.json" "$url/api/v1/reports" >"$tmp/slow.code" &
cpid=$!
sleep 0.5
serve_stop
wait $cpid
[ "$sstatus" = 0 ] && ok || bad "SIGTERM: exit $sstatus"
[ "$(cat "$tmp/slow.code")" = 201 ] && ok || bad "the request in flight at SIGTERM: $(cat "$tmp/slow.code")"
[ "$(dbq "$db" "SELECT count(*) FROM events WHERE id = 'slow'")" = 1 ] && ok ||
    bad "the request in flight at SIGTERM was not stored"
grep -q '"msg":"stopped","signal":"SIGTERM"' "$tmp/serve.log" && ok || bad "no stopped line"
# The access log: one JSON line per request, no token, no body.
lines=$(grep -c '"method":' "$tmp/serve.log")
[ "$lines" -ge 50 ] && ok || bad "access log: $lines lines"
python3 - "$tmp/serve.log" <<'PY' && ok || bad "an access-log line is not JSON with method, path, status, duration_ms, role"
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if "method" in d and not all(k in d for k in ("path", "status", "duration_ms", "role")):
        sys.exit(1)
PY
for t in "$admin" "$russia" "$turkey" "$reporter" "$viewer" "not-a-token" "not our forces" "many"; do
    if grep -qF "$t" "$tmp/serve.log"; then bad "the log holds a token or a body: $t"; else ok; fi
done
if sqlite_only "$db" "PRAGMA integrity_check"; then
    [ "$(dbq "$db" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity_check"
fi

# Where it cannot listen: a bad --listen is a usage error, a port in use an I/O error.
status 2 "$truce" serve --db "$db" --listen nonsense "$A"
grep -qF "truce serve: --listen: expected HOST:PORT, found 'nonsense'" "$tmp/err" && ok || bad "bad --listen"
serve_start "$db" "$A" || exit 1
status 4 "$truce" serve --db "$db" --listen "${url#http://}" "$A"
grep -qF "truce serve: cannot listen on ${url#http://}" "$tmp/err" && ok || bad "port in use: $(cat "$tmp/err")"
serve_stop
status 2 "$truce" serve --max-body 0 "$A"
status 3 "$truce" serve --db "$db" "$src/tests/data/gpx/v11_tracks.gpx"

echo "serve_access: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
