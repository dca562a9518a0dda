#!/bin/sh
# Every rule an event breaks is kept, in every output: the IED on the joint
# patrol at the Ariha entrance of the M4 (14 July 2020,
# tests/data/events/ariha_ied.geojson) lies inside the Idlib area and the
# corridor, so it breaks both rules of the bundled agreement, not only the
# zone-wide one listed first; truce stats counts it once for each.  And the
# CSV field gives rule ids back whatever they hold.
# usage: sh test_classify_rules.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
a=$src/data/idlib-2020/agreement.geojson
ev=$src/tests/data/events/ariha_ied.geojson
both='[{"rule":"ceasefire-idlib-area","verdict":"violation","reason":"after the ceasefire; attack_on_forces; inside zone idlib-area"},{"rule":"ceasefire-m4-corridor","verdict":"violation","reason":"after the ceasefire; attack_on_forces; inside corridor m4: 0 m right of the road at km 19.7"}]'

expect 0 "classify -f jsonl $a $ev" "\"rule\":\"ceasefire-idlib-area\"" "\"rules\":$both" \
    "violations 1, possible 0, none 0"
expect 0 "classify -f geojson $a $ev" "\"rules\":$both"
expect 0 "classify -f table $a $ev" \
    "inside zone idlib-area; also ceasefire-m4-corridor (violation)"
expect 0 "classify -f csv $a $ev" '"ceasefire-idlib-area:violation;ceasefire-m4-corridor:violation"'
python3 - "$out" <<'PY' && ok || bad "csv: rules column"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [r["rules"] for r in rows] == ["ceasefire-idlib-area:violation;ceasefire-m4-corridor:violation"]
assert rows[0]["rule"] == "ceasefire-idlib-area"
PY

# GDAL reads the array as a JSON string field.
if command -v ogrinfo >/dev/null 2>&1; then
    "$truce" classify -f geojson -o "$tmp/v.geojson" "$a" "$ev" 2>/dev/null
    ogrinfo -ro -al "$tmp/v.geojson" >"$out" 2>"$err"
    grep -q 'Feature Count: 1' "$out" && grep -q 'rules: String(JSON)' "$out" &&
        grep -qF 'inside corridor m4: 0 m right of the road at km 19.7' "$out" && ok ||
        { bad "ogrinfo does not read rules"; cat "$out" "$err" >&2; }
fi

# Stats: one event, one violation, counted once for each rule.
expect 0 "stats -f csv $a $ev" 'summary,events,1,' 'rule,"ceasefire-idlib-area",,1,,1,0,0' \
    'rule,"ceasefire-m4-corridor",,1,,1,0,0'

# Rule ids with ';', '%', ':', a comma and a quote: the CSV field splits at
# ';', then at the last ':', and "%3B" / "%25" give the ids back.
python3 - "$a" "$tmp/odd.geojson" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["agreement"]["rules"][0]["id"] = 'area;%3B:"x",y'
doc["agreement"]["rules"][1]["id"] = "m4:%"
json.dump(doc, open(sys.argv[2], "w"))
PY
"$truce" classify -f csv -o "$tmp/odd.csv" "$tmp/odd.geojson" "$ev" 2>"$err" && ok ||
    { bad "classify odd ids"; cat "$err" >&2; }
python3 - "$tmp/odd.csv" <<'PY' && ok || bad "csv: odd rule ids do not come back"
import csv, sys
row = next(csv.DictReader(open(sys.argv[1], newline="")))
got = []
for item in row["rules"].split(";"):
    rid, verdict = item.rsplit(":", 1)
    got.append((rid.replace("%3B", ";").replace("%25", "%"), verdict))
assert got == [('area;%3B:"x",y', "violation"), ("m4:%", "violation")], got
assert row["rule"] == 'area;%3B:"x",y'
PY

echo "classify rules: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
