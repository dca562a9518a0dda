#!/bin/sh
# Querying truce serve (docs/server.md, "Filters", "Statistics", "The
# agreement"): each filter of GET /api/v1/events against the answer computed
# independently from `truce classify` on the same events; pages of a filtered
# listing while reports keep coming; a cursor refused under another filter;
# bad parameters are 400 naming them; GET /api/v1/stats equals `truce stats
# --format json` on the same events, filtered too; ogrinfo reads a filtered
# page; GET /api/v1/agreement and /api/v1/corridors/{id} equal `truce check
# --format json` and the corridor of `truce corridor`.
# usage: sh test_serve_query.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
E=$src/data/idlib-2020/events.geojson
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
russia=$("$truce" token add --db "$db" --role party --party Russia)
viewer=$("$truce" token add --db "$db" --role viewer)
serve_start "$db" "$A" || exit 1

"$truce" events "$E" 2>/dev/null >"$tmp/events.jsonl"
"$truce" classify --format jsonl "$A" "$tmp/events.jsonl" >"$tmp/judged.jsonl" 2>/dev/null
total=$(wc -l <"$tmp/events.jsonl")
[ "$total" -ge 30 ] && ok || bad "only $total events to post"
post_line() { # LINE-NUMBER
    sed -n "$1p" "$tmp/events.jsonl" >"$tmp/one"
    req POST /api/v1/reports "$admin" --data-binary @"$tmp/one"
    want 201 "posting event $1"
}
i=1
while [ $i -le 30 ]; do post_line $i; i=$((i + 1)); done
id_of() { sed -n "$1p" "$tmp/events.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

# Reviews, for the status filter: two confirmed by Russia, one rejected.
for n in 3 9; do
    req POST "/api/v1/events/$(id_of $n)/reviews" "$russia" -d '{"action":"confirm"}'
    want 201 "confirming event $n"
done
req POST "/api/v1/events/$(id_of 12)/reviews" "$admin" -d '{"action":"reject","note":"duplicate"}'
want 201 "rejecting event 12"
printf '%s\n%s\n' "$(id_of 3)" "$(id_of 9)" | sort >"$tmp/confirmed"
id_of 12 >"$tmp/rejected"

# expected QUERY: the ids of the first 30 judged events that pass QUERY's
# filter, computed from classify's records (the local dates of from/to in
# the agreement's time zone by Python's zoneinfo).
cat >"$tmp/expect.py" <<'EOF'
import json, sys, urllib.parse
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
tz = ZoneInfo("Asia/Damascus")
recs = [json.loads(l) for l in open(sys.argv[1])][:30]
q = urllib.parse.parse_qs(sys.argv[2])
status = {l.strip(): "confirmed" for l in open(sys.argv[3])}
status.update({l.strip(): "rejected" for l in open(sys.argv[4])})
def instant(text, end):
    if len(text) == 10:
        d = datetime.fromisoformat(text).replace(tzinfo=tz)
        return (d + timedelta(days=1) if end else d).timestamp()
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=tz)
    return t.timestamp() + (1 if end else 0)
def ok(r):
    start = datetime.fromisoformat(r["start"].replace("Z", "+00:00")).timestamp()
    for k, v in q.items():
        v = ",".join(v)
        if k == "from" and not start >= instant(v, False): return False
        if k == "to" and not start < instant(v, True): return False
        if k == "violation":
            names = {"yes": "violation", "possible": "possible", "no": "none"}
            if r["violation"] not in {names[x] for x in v.split(",")}: return False
        if k == "status" and status.get(r["id"], "submitted") not in v.split(","): return False
        if k == "rule" and v not in [x["rule"] for x in r["rules"]]: return False
        if k == "zone" and r["zones"].get(v) != "inside": return False
        if k == "corridor":
            c = r["corridors"].get(v)
            if not c or c["position"] != "inside": return False
            km = c["chainage_m"] / 1000 if c["chainage_m"] is not None else None
            if "km_min" in q and (km is None or km < float(q["km_min"][0])): return False
            if "km_max" in q and (km is None or km > float(q["km_max"][0])): return False
        if k == "party" and v not in (r["actor1"], r["actor2"]): return False
        if k == "source" and v not in (r["sources"] or ""): return False
        if k == "bbox":
            x0, y0, x1, y1 = map(float, v.split(","))
            if r["lon"] is None or not (x0 <= r["lon"] <= x1 and y0 <= r["lat"] <= y1): return False
    return True
for r in recs:
    if ok(r): print(r["id"])
EOF

# Each filter, alone and combined, against the independent answer.
for q in "violation=yes" "violation=possible,no" "violation=possible&violation=no" \
    "status=confirmed" "status=rejected" "status=submitted,confirmed" \
    "rule=ceasefire-m4-corridor" "rule=ceasefire-idlib-area" "zone=idlib-area" \
    "corridor=m4" "corridor=m4&km_min=3&km_max=9" "corridor=m4&km_min=30" \
    "party=Syrian%20government%20forces" "party=Turkish%20Armed%20Forces" "source=SMART" \
    "bbox=36.5,35.7,36.8,35.9" "from=2020-03-06" "to=2020-03-05" \
    "from=2020-03-05T22:00:00Z&to=2020-03-10T12:00" "from=2020-03-06&violation=yes&zone=idlib-area" \
    "rule=ceasefire-m4-corridor&status=submitted"; do
    python3 "$tmp/expect.py" "$tmp/judged.jsonl" "$q" "$tmp/confirmed" "$tmp/rejected" >"$tmp/want"
    req GET "/api/v1/events?f=jsonl&limit=1000&$q" "$viewer"
    want 200 "?$q"
    python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in open(sys.argv[1])]' \
        "$tmp/body" >"$tmp/got"
    if cmp -s "$tmp/want" "$tmp/got"; then ok; else bad "?$q: got $(tr '\n' ' ' <"$tmp/got"), expected $(tr '\n' ' ' <"$tmp/want")"; fi
done
# Filters that select something, so that the comparisons above say something.
for q in "violation=yes" "status=confirmed" "rule=ceasefire-m4-corridor" "corridor=m4&km_min=3&km_max=9" "bbox=36.5,35.7,36.8,35.9" "to=2020-03-05"; do
    n=$(python3 "$tmp/expect.py" "$tmp/judged.jsonl" "$q" "$tmp/confirmed" "$tmp/rejected" | wc -l)
    [ "$n" -gt 0 ] && [ "$n" -lt 30 ] && ok || bad "?$q selects $n of 30 events"
done

# Pages of 2 of violation=yes, the remaining reports posted while paging:
# every violation is listed once, reports stored meanwhile included.
: >"$tmp/seen"
path="/api/v1/events?limit=2&violation=yes"
pages=0
while [ -n "$path" ]; do
    req GET "$path" "$viewer"
    want 200 "GET $path"
    python3 -c 'import json,sys; [print(f["id"]) for f in json.load(open(sys.argv[1]))["features"]]' \
        "$tmp/body" >>"$tmp/seen"
    next=$(sed -n 's/^[Ll]ink: <\([^>]*\)>; rel="next".*/\1/p' "$tmp/headers" | tr -d '\r')
    case $next in "" | *violation=yes*) ok ;; *) bad "the next link lost the filter: $next" ;; esac
    pages=$((pages + 1))
    if [ $pages -le 3 ]; then post_line $((29 + 2 * pages)); post_line $((30 + 2 * pages)); fi
    path=$next
    [ $pages -gt 40 ] && { bad "pagination does not end"; break; }
done
python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["violation"] == "violation": print(r["id"])' "$tmp/judged.jsonl" >"$tmp/want"
[ "$pages" -ge 3 ] && ok || bad "$pages pages, expected 3 or more"
sort "$tmp/seen" >"$tmp/seen.sorted"
sort "$tmp/want" | cmp -s - "$tmp/seen.sorted" && ok ||
    bad "paging violation=yes: $(wc -l <"$tmp/seen") listed, $(wc -l <"$tmp/want") expected"
[ "$(sort -u "$tmp/seen" | wc -l)" -eq "$(wc -l <"$tmp/seen")" ] && ok || bad "an event was listed twice"

# A cursor is refused with another filter, kept with the same one written
# otherwise (a list in another order).
req GET "/api/v1/events?limit=1&violation=possible,no" "$viewer"
cur=$(sed -n 's/^[Ll]ink: <[^>]*cursor=\([^&>]*\).*/\1/p' "$tmp/headers" | tr -d '\r')
[ -n "$cur" ] && ok || bad "no cursor for violation=possible,no"
req GET "/api/v1/events?limit=1&violation=no,possible&cursor=$cur" "$viewer"
want 200 "the same filter written otherwise"
req GET "/api/v1/events?limit=1&violation=yes&cursor=$cur" "$viewer"
want 400 "a cursor under another filter"
json "b['field'] == 'cursor'" && ok || bad "the problem does not name cursor"
req GET "/api/v1/events?limit=1&cursor=$cur" "$viewer"
want 400 "a filtered cursor without its filter"

# Bad parameters: 400 naming each.
for q in "violation=maybe" "status=accepted" "from=yesterday" "to=2020-13-01" "bbox=1,2,3" \
    "bbox=1,2,3,x" "bbox=200,0,201,1" "km_min=-1&corridor=m4" "km_max=x&corridor=m4" "rule=" \
    "zone=a&zone=b" "from=2020-03-01&from=2020-03-02"; do
    req GET "/api/v1/events?$q" "$viewer"
    want 400 "?$q"
    name=${q%%=*}
    json "b['field'] == '$name'" && ok || bad "?$q: the problem does not name $name: $(cat "$tmp/body")"
done
req GET "/api/v1/events?km_min=3" "$viewer"
json "b['field'] == 'corridor'" && ok || bad "km_min without corridor: $(cat "$tmp/body")"
req GET "/api/v1/events?from=2020-03-10&to=2020-03-01" "$viewer"
want 400 "from after to"
req GET "/api/v1/stats?violation=maybe" "$viewer"
want 400 "stats with a bad filter"
req GET "/api/v1/stats?by=weekday" "$viewer"
json "b['field'] == 'by'" && ok || bad "stats ?by=weekday: $(cat "$tmp/body")"

# GDAL reads a filtered page as a layer: the right count and the fields.
if command -v ogrinfo >/dev/null 2>&1; then
    req GET "/api/v1/events?limit=1000&violation=yes&zone=idlib-area" "$viewer"
    cp "$tmp/body" "$tmp/page.geojson"
    n=$(python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) if (lambda r: r["violation"] == "violation" and r["zones"].get("idlib-area") == "inside")(json.loads(l))))' "$tmp/judged.jsonl")
    ogrinfo -ro -al -so "$tmp/page.geojson" >"$tmp/ogr" 2>&1
    grep -q "Feature Count: $n\$" "$tmp/ogr" && grep -q "violation: String" "$tmp/ogr" &&
        grep -q "status: String" "$tmp/ogr" && grep -q "Geometry: Point" "$tmp/ogr" && ok ||
        bad "ogrinfo (want $n features): $(cat "$tmp/ogr")"
fi

# Statistics: what truce stats --format json says of the same events, all
# of them and a filtered few.
"$truce" stats --format json "$A" "$tmp/events.jsonl" >"$tmp/stats.json" 2>/dev/null
req GET /api/v1/stats "$viewer"
want 200 "GET /api/v1/stats"
python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' \
    "$tmp/body" "$tmp/stats.json" && ok || bad "stats differ from truce stats: $(diff "$tmp/body" "$tmp/stats.json" | head -20)"
python3 -c '
import json, sys
keep = {json.loads(l)["id"] for l in open(sys.argv[2]) if "ceasefire-m4-corridor" in [x["rule"] for x in json.loads(l)["rules"]]}
for l in open(sys.argv[1]):
    if json.loads(l)["id"] in keep: print(l, end="")' "$tmp/events.jsonl" "$tmp/judged.jsonl" >"$tmp/m4.jsonl"
"$truce" stats --format json --by party --by day "$A" "$tmp/m4.jsonl" >"$tmp/stats.json" 2>/dev/null
req GET "/api/v1/stats?rule=ceasefire-m4-corridor&by=party,day" "$viewer"
want 200 "GET /api/v1/stats?rule=..."
python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' \
    "$tmp/body" "$tmp/stats.json" && ok || bad "filtered stats differ: $(diff "$tmp/body" "$tmp/stats.json" | head -20)"
json 'b["summary"]["events"] == '"$(wc -l <"$tmp/m4.jsonl")" && ok || bad "filtered stats: wrong event count"

# The agreement and a corridor, as truce check and truce corridor write them.
"$truce" check --format json "$A" >"$tmp/check.json"
req GET /api/v1/agreement "$viewer"
want 200 "GET /api/v1/agreement"
python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' \
    "$tmp/body" "$tmp/check.json" && ok || bad "the agreement differs from truce check's"
"$truce" corridor "$A" >"$tmp/corridors.geojson"
req GET /api/v1/corridors/m4 "$viewer"
want 200 "GET /api/v1/corridors/m4"
grep -qi '^content-type: application/geo+json' "$tmp/headers" && ok || bad "a corridor is not geo+json"
python3 -c '
import json, sys
got = json.load(open(sys.argv[1]))
want = [f for f in json.load(open(sys.argv[2]))["features"] if f["id"] == "m4"][0]
sys.exit(0 if got == want and got["geometry"]["type"] in ("Polygon", "MultiPolygon") else 1)' \
    "$tmp/body" "$tmp/corridors.geojson" && ok || bad "corridor m4 differs from truce corridor's"
req GET /api/v1/corridors/nowhere "$viewer"
want 404 "an unknown corridor"
json "b['status'] == 404" && ok || bad "an unknown corridor: not a problem"
for p in /api/v1/stats /api/v1/agreement /api/v1/corridors/m4; do
    req GET "$p" ""
    want 401 "$p without a token"
done

serve_stop
echo "serve_query: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
