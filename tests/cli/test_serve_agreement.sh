#!/bin/sh
# Agreement versions in truce serve (docs/server.md, "Agreement versions"):
# PUT /api/v1/agreement is for admins; a bad agreement is 400 naming the
# field with the loader's message, and changes nothing; a good one is
# stored as a new version, every stored event is judged again with what was
# in force at its time (the corridor in force from 12 March 2020, seven days
# after signing), a verdict that changes is a new verdict row and the old
# one stays in the event's history, reports that come later are judged with
# it, and a restart serves the latest version (the AGREEMENT argument is
# stored as a new version only when its text is not stored yet).
# usage: sh test_serve_agreement.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
E=$src/data/idlib-2020/events.geojson
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
party=$("$truce" token add --db "$db" --role party --party Turkey)
viewer=$("$truce" token add --db "$db" --role viewer)

# Version 2: the M4 corridor is in force from 12 March 2020 only.
python3 - "$A" "$tmp/a2.json" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
for f in a["features"]:
    if f["properties"].get("role") == "corridor":
        f["properties"]["from"] = "2020-03-12T00:00"
json.dump(a, open(sys.argv[2], "w"), indent=1)
EOF
# Twelve events of the data set and one inside the corridor on 8 March
# (an attack of 19 March, moved): the corridor rule leaves its verdict.
"$truce" events "$E" 2>/dev/null | head -12 >"$tmp/events.jsonl"
"$truce" events "$E" 2>/dev/null | sed -n 23p | python3 -c '
import json, sys
e = json.loads(sys.stdin.read())
e.update(id="early", start="2020-03-08T00:00:00Z", end="2020-03-09T00:00:00Z")
print(json.dumps(e))' >>"$tmp/events.jsonl"
"$truce" classify --format jsonl "$A" "$tmp/events.jsonl" >"$tmp/c1" 2>/dev/null
"$truce" classify --format jsonl "$tmp/a2.json" "$tmp/events.jsonl" >"$tmp/c2" 2>/dev/null
changed=$(python3 -c '
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
print(sum(x != y for x, y in zip(a, b)))' "$tmp/c1" "$tmp/c2")

serve_start "$db" "$A" || exit 1
grep -q '"msg":"agreement","version":1,"detail":"AGREEMENT stored as version 1' "$tmp/serve.log" &&
    ok || bad "the first start does not store the agreement as version 1: $(cat "$tmp/serve.log")"
while read -r line; do
    printf '%s' "$line" >"$tmp/one"
    req POST /api/v1/reports "$admin" --data-binary @"$tmp/one"
    want 201 "posting $(head -c 40 "$tmp/one")"
done <"$tmp/events.jsonl"
req GET /api/v1/events/early "$viewer"
json '[r["rule"] for r in b["rules"]] == ["ceasefire-idlib-area", "ceasefire-m4-corridor"]' &&
    ok || bad "before the PUT: $(head -c 300 "$tmp/body")"

# Who may: admins only.
req PUT /api/v1/agreement "" --data-binary @"$tmp/a2.json"
want 401 "PUT without a token"
for t in "$party" "$viewer"; do
    req PUT /api/v1/agreement "$t" --data-binary @"$tmp/a2.json"
    want 403 "PUT by a party or a viewer"
done

# Bad agreements: 400 naming the field with the loader's message; nothing
# changes.
req PUT /api/v1/agreement "$admin" --data-binary '{"type":"FeatureCollection",'
want 400 "PUT of broken JSON"
json 'b["field"] == "body" and "line 1" in b["detail"]' && ok || bad "broken JSON: $(cat "$tmp/body")"
sed 's/"timezone": "Asia\/Damascus"/"timezone": "Asia\/Nowhere"/' "$tmp/a2.json" >"$tmp/bad.json"
req PUT /api/v1/agreement "$admin" --data-binary @"$tmp/bad.json"
want 400 "PUT with an unknown time zone"
json 'b["field"] == "timezone" and "Asia/Nowhere" in b["detail"]' &&
    ok || bad "unknown time zone: $(cat "$tmp/body")"
req GET /api/v1/events/early "$viewer"
json 'len(b["verdicts"]) == 1 and len(b["rules"]) == 2' && ok || bad "a bad PUT changed a verdict"

# Version 2: every stored event judged again; the changes are new verdicts.
req PUT /api/v1/agreement "$admin" --data-binary @"$tmp/a2.json"
want 200 "PUT of version 2"
json "b == {'version': 2, 'judged': 13, 'changed': $changed, 'unreadable': 0}" &&
    ok || bad "PUT answer: $(cat "$tmp/body"), expected $changed changed"
[ "$changed" -gt 1 ] && ok || bad "the test's version 2 changes too little ($changed)"
req GET /api/v1/events/early "$viewer"
json '[r["rule"] for r in b["rules"]] == ["ceasefire-idlib-area"]
      and [v["agreement_version"] for v in b["verdicts"]] == [None, 2]
      and [r["rule"] for r in b["verdicts"][0]["record"]["rules"]] == ["ceasefire-idlib-area", "ceasefire-m4-corridor"]
      and b["verdicts"][1]["record"]["rules"] == b["rules"]' &&
    ok || bad "the history after the PUT: $(head -c 600 "$tmp/body")"
# Every current record is classify's with version 2.
req GET "/api/v1/events?f=jsonl&limit=100" "$viewer"
python3 -c '
import json, sys
want = {}
for l in open(sys.argv[2]):
    x = json.loads(l); want[x["id"]] = x
for l in open(sys.argv[1]):
    x = json.loads(l)
    del x["status"], x["received_at"]
    assert x == want[x["id"]], x["id"]' "$tmp/body" "$tmp/c2" && ok || bad "records after the PUT differ from classify's"
# The same text again is a new version with nothing to change.
req PUT /api/v1/agreement "$admin" --data-binary @"$tmp/a2.json"
json "b == {'version': 3, 'judged': 13, 'changed': 0, 'unreadable': 0}" &&
    ok || bad "PUT of the same text: $(cat "$tmp/body")"
# A report that comes now is judged with the new version.
# with_id ID: line 13 of events.jsonl with another id.
with_id() {
    sed -n 13p "$tmp/events.jsonl" |
        python3 -c 'import json,sys; e=json.loads(sys.stdin.read()); e["id"]=sys.argv[1]; print(json.dumps(e))' "$1"
}
with_id early-again >"$tmp/one"
req POST /api/v1/reports "$admin" --data-binary @"$tmp/one"
want 201 "a report after the PUT"
json '[r["rule"] for r in b["rules"]] == ["ceasefire-idlib-area"]' &&
    ok || bad "a report after the PUT: $(head -c 300 "$tmp/body")"
serve_stop

# A restart with the first file serves the latest version still.
serve_start "$db" "$A" || exit 1
grep -q '"version":3,"detail":"AGREEMENT is stored version 1; serving the latest stored version, 3"' \
    "$tmp/serve.log" && ok || bad "restart: $(cat "$tmp/serve.log")"
with_id early-3 >"$tmp/two"
req POST /api/v1/reports "$admin" --data-binary @"$tmp/two"
json '[r["rule"] for r in b["rules"]] == ["ceasefire-idlib-area"]' &&
    ok || bad "a report after the restart is judged with version 1"
serve_stop
# A restart with a file not stored yet stores it and judges everything again.
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); json.dump(a, open(sys.argv[2], "w"))' \
    "$A" "$tmp/a4.json"
serve_start "$db" "$tmp/a4.json" || exit 1
grep -q '"version":4,"detail":"AGREEMENT stored as version 4; 15 events judged again' \
    "$tmp/serve.log" && ok || bad "restart with a new file: $(cat "$tmp/serve.log")"
req GET /api/v1/events/early "$viewer"
json '[v["agreement_version"] for v in b["verdicts"]] == [None, 2, 4] and len(b["rules"]) == 2' &&
    ok || bad "after version 4: $(head -c 300 "$tmp/body")"
serve_stop
[ "$sstatus" -eq 0 ] && ok || bad "serve exited $sstatus"

echo "serve_agreement: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
