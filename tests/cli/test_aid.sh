#!/bin/sh
# truce aid: golden answers on a generated week-by-week set (gen_aid.py), the
# HXL reader's cases, nothing lost on files with planted bad rows, and the
# agreement's humanitarian features.
. "$2/tests/cli/lib.sh"
d=$tmp/set
python3 "$src/tests/cli/gen_aid.py" "$d" || { echo "gen_aid.py failed" >&2; exit 1; }
rundir=$d
files="agreement.geojson deliveries.csv access.jsonl returns.csv events.jsonl"
period="--from 2020-03-02 --to 2020-04-26"

# ---- golden answers ----
expect 0 "aid -f json $period $files" '"returns_into_danger"'
python3 - "$out" "$d/expected.json" <<'PY' && ok || bad "aid -f json differs from expected.json"
import json, sys
got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
fails = []
def check(what, g, w):
    if g != w:
        fails.append(f"{what}: got {g!r}, expected {w!r}")
check("from", got["from"], want["from"])
check("to", got["to"], want["to"])
places = {p["id"]: p for p in got["places"]}
for pid, w in want["places"].items():
    for k, v in w.items():
        check(f"{pid}.{k}", places[pid][k], v)
check("unreached", got["unreached"], want["unreached"])
check("unplaced", got["unplaced_deliveries"], want["unplaced_deliveries"])
check("outside", got["records"]["outside_period"], want["outside_period"])
check("access", {a["category"]: a["incidents"] for a in got["access"]}, want["access"])
check("danger", [{k: r[k] for k in ("area", "date", "returnees", "violations")}
                 for r in got["returns_into_danger"]], want["returns_into_danger"])
check("crossing", [(c["id"], c["deliveries"], c["trucks"]) for c in got["crossings"]],
      [("bab", 12, 20)])
check("km", [(k["line"], k["kind"], k["km"]) for k in got["access_by_km"]],
      [("r1", "aid_route", 32), ("c1", "corridor", 27)])
for f in fails:
    print(f, file=sys.stderr)
sys.exit(1 if fails else 0)
PY
expect 0 "aid $period $files" "delta" "missed/7" "met/14" "unreached  delta" \
    "2020-03-22 alpha" "V1" "read 31, accepted 31, rejected 0; violations 4"
expect 0 "aid -f csv $period $files" \
    "id,name,people_in_need,deliveries" '"bravo","Bravo",8000,4,40,4,2020-03-02,2020-03-23,34,34,7,false,1,50'
# Unreached: no dates, no days since.
grep -qF '"delta","Delta",,0,0,0,,,,56,7,false' "$out" && ok || bad "aid -f csv: delta's row"
expect 0 "aid -f geojson $period $files" '"kind":"need"' '"kind":"return_into_danger"'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["features"]) == 5 + 2 + 2' \
    "$out" && ok || bad "aid -f geojson: not the features expected"
# A window too short for V1 (7 days before the return on day 20): alpha is safe.
expect 0 "aid -f json --window 4 $period $files" '"area": "Kafr Test"'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [r["area"] for r in d["returns_into_danger"]] == ["Kafr Test"]' \
    "$out" && ok || bad "--window 4: alpha still in danger"
# Records are added on the reading thread while violations come from the
# judging threads: the answer does not depend on how many there are.
(cd "$d" && "$truce" aid -f json --threads 1 $period $files 2>/dev/null) >"$d/t1.json"
(cd "$d" && "$truce" aid -f json --threads 3 $period $files 2>/dev/null) >"$d/t3.json"
cmp -s "$d/t1.json" "$d/t3.json" && ok || bad "aid: --threads 1 and 3 differ"
# The period defaults to the records' first and last dates.
expect 0 "aid -f json $files" '"from": "2020-02-21"' '"to": "2020-04-20"'
# Without the events, no return is in danger.
expect 0 "aid -f json $period agreement.geojson deliveries.csv returns.csv" \
    '"returns_into_danger": []'

# ---- stats, map and report show them too ----
expect 0 "stats $files" "humanitarian provisions (truce aid)" \
    "places in need       5, reached 4" "never reached        delta" "returns into danger 2"
expect 0 "stats -f csv $files" 'aid,"returns_into_danger",2'
expect 0 "stats -f json $files" '"aid": {' '"returns_into_danger": ['
expect 0 "stats agreement.geojson events.jsonl" "by rule"
grep -q "humanitarian" "$out" && bad "stats without aid files shows a humanitarian part" || ok
expect 0 "map -o m.svg $files" "m.svg"
[ "$(grep -o 'class="need"' "$d/m.svg" | wc -l)" -eq 5 ] && ok || bad "map: not 5 places in need"
grep -q 'class="access"' "$d/m.svg" && grep -q 'fill="#67001f"' "$d/m.svg" && ok ||
    bad "map: no access incidents, or delta not drawn as never reached"
expect 0 "report -o r.html $files" "r.html"
grep -q '<section id="humanitarian">' "$d/r.html" && grep -q '<h3>Returns into danger (2)' "$d/r.html" &&
    ok || bad "report: no humanitarian section with its 2 returns into danger"

# ---- the HXL reader ----
# The hashtag row under a header (deliveries.csv) and alone (returns.csv),
# tags in any case and attributes in any order (#GEO+Lon, #item +num
# +trucks, #affected+ind+returnees) and unknown tags (#meta+comment) are read
# above.  A missing required tag is named:
printf 'Place,Quantity\n#loc+name,#item+quantity\nAlpha,3\n' >"$d/nodate.csv"
expect 3 "aid agreement.geojson nodate.csv" \
    "nodate.csv:2: error: #date: the HXL hashtag row has no #date column, required for deliveries"
printf '#date,#item+quantity\n2020-03-03,3\n' >"$d/noloc.csv"
expect 3 "aid agreement.geojson noloc.csv" "#loc+name: the HXL hashtag row has no location column"
printf '#date,#loc+name,#geo+lat\n2020-03-03,Alpha,35.9\n' >"$d/nolon.csv"
expect 3 "aid --kind returns agreement.geojson nolon.csv" "#geo+lon: the HXL hashtag row has #geo+lat but no #geo+lon"
printf '#date,#loc+name,#item+quantity,#access+category\n2020-03-03,Alpha,3,7\n' >"$d/both.csv"
expect 3 "aid agreement.geojson both.csv" "more than one kind of record; give the kind (--kind)"
expect 0 "aid -f json --kind deliveries agreement.geojson both.csv" '"deliveries": 1'
printf 'Date,Place\n2020-03-03,Alpha\n' >"$d/notags.csv"
expect 3 "aid --input-format hxl agreement.geojson notags.csv" "no HXL hashtag row"
expect 2 "aid --kind nonsense agreement.geojson deliveries.csv" "--kind: \"nonsense\" is not"
# An event command does not take aid records, and says why.
expect 3 "classify --input-format hxl agreement.geojson deliveries.csv" \
    'format "hxl" holds humanitarian records, not events'

# ---- nothing lost: read = accepted + rejected ----
{
    printf 'Date,Place,Lat,Lon,Qty,Trucks\n'
    printf '#date,#loc+name,#geo+lat,#geo+lon,#item+quantity,#item+trucks\n'
    printf '2020-03-03,Alpha,,,5,1\n'
    printf '2020-02-30,Alpha,,,5,1\n'            # 4: no such date
    printf '2020-03-04,,35.9,,5,1\n'             # 5: a latitude without longitude
    printf '2020-03-05,Alpha,,,-5,1\n'           # 6: negative quantity
    printf '2020-03-06,,,,5,1\n'                 # 7: no location
    printf '2020-03-07,Alpha,,,,\n'              # 8: neither quantity nor trucks
    printf '2020-03-08,Alpha,,,5\n'              # 9: a column short
    printf '2020-03-09,Al\377pha,,,5,1\n'        # 10: not UTF-8
    printf '2020-03-10,"Alpha,,,5,1\n'           # 11: an unclosed quote
    printf '2020-03-11,Bravo,,,,2\n'
    printf '2020-03-12,Bravo,95,36,1,1\n'        # 13: latitude out of range
} >"$d/bad.csv"
{
    printf '{"record":"access","date":"2020-03-05","place":"Alpha","category":7}\n'
    printf '{"record":"access","date":"2020-03-05","place":"Alpha","category":"riots"}\n'
    printf '{"record":"access","date":"2020-03-05","category":7}\n'
    printf '{"record":"access","date":"2020-03-05","place":"Alpha"}\n'
    printf 'not json\n'
    printf '{"record":"visit","date":"2020-03-05","place":"Alpha"}\n'
    printf '{"record":"return","date":"2020-03-05","place":"Alpha","returnees":-3}\n'
    printf '{"record":"return","date":"2020-03-05","place":"Alpha","returnees":3}\n'
} >"$d/bad.jsonl"
expect 3 "aid --rejects rejects.csv agreement.geojson bad.csv" \
    "bad.csv:4: #date: no such date: 2020-02-30" \
    "bad.csv:5: #geo+lon: missing: a point needs both latitude and longitude" \
    "bad.csv:6: #item+quantity: -5 is outside" \
    "bad.csv:7: #loc+name: missing: no location" \
    "bad.csv:8: #item+quantity: missing: a delivery needs a quantity or a number of trucks" \
    "bad.csv:9: 5 columns, the hashtag row has 6" \
    "bad.csv:10: #loc+name: not UTF-8" \
    "bad.csv:13: #geo+lat: 95 is outside" \
    "read 11, accepted 2, rejected 9"
[ "$(head -2 "$d/rejects.csv")" = "$(head -2 "$d/bad.csv")" ] && ok ||
    bad "--rejects: the header and the hashtag row are not kept"
[ "$(tail -n +3 "$d/rejects.csv" | wc -l)" -ge 9 ] && ok || bad "--rejects: not every bad row kept"
grep -qF '2020-02-30,Alpha' "$d/rejects.csv" && ok || bad "--rejects: row 4 not kept verbatim"
expect 3 "aid agreement.geojson bad.jsonl" \
    "bad.jsonl:2: category: \"riots\" is not an access category" \
    "bad.jsonl:3: place: missing: no location" \
    "bad.jsonl:4: category: missing: an access incident needs its category" \
    "bad.jsonl:5: not JSON" \
    "bad.jsonl:6: record: not a kind of record" \
    "bad.jsonl:7: returnees: -3 is not a whole number" \
    "read 8, accepted 2, rejected 6"

# ---- the agreement's humanitarian features ----
python3 - "$d/agreement.geojson" "$d/bad_agreement.geojson" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
for f in a["features"]:
    if f["id"] == "alpha":
        del f["properties"]["radius_m"]
    if f["id"] == "bravo":
        f["properties"]["reach_every_days"] = "weekly"
    if f["id"] == "r1":
        f["geometry"] = {"type": "Point", "coordinates": [36.6, 36.0]}
json.dump(a, open(sys.argv[2], "w"))
PY
expect 3 "check bad_agreement.geojson" \
    'feature "alpha": radius_m: missing; a place in need given as a Point needs the radius' \
    'feature "bravo": reach_every_days: found "weekly", expected a whole number of days' \
    'feature "r1": geometry.type'
expect 0 "aid --help" "usage: truce aid" "--kind KIND"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
