#!/bin/sh
# truce check: the bundled Idlib agreement, daylight saving, and one broken
# agreement per kind of error (exit status 3, a message naming item and key).
# usage: sh test_check.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
d=$src/tests/data/agreements

# check_expect STATUS FILE PATTERN... : run truce check FILE, compare the
# status, grep stdout+stderr for each pattern (lib.sh's expect)
check_expect() {
    want=$1; file=$2; shift 2
    expect "$want" "check $file" "$@"
}

# The bundled agreement.
check_expect 0 "$src/data/idlib-2020/agreement.geojson" \
    "ceasefire  2020-03-06T00:00 Asia/Damascus (UTC+02:00) = 2020-03-05T22:00:00Z" \
    "parties    Russia, Turkey" "idlib-area" "m4 " "left 6000 m, right 6000 m" \
    "m4-patrol" "from 2020-03-15 (2020-03-14T22:00:00Z)" \
    "2020-03-14T22:00:00Z  2020-03-15       patrol route m4-patrol comes into force"
# Summer time: UTC+3.
check_expect 0 "$d/summer.json" "2020-07-14T00:00 Asia/Damascus (UTC+03:00) = 2020-07-13T21:00:00Z"
# The fall-back hour: the earlier instant (UTC+3), with a warning.
check_expect 0 "$d/ambiguous.json" "= 2020-10-29T20:30:00Z" "occurs twice"
check_expect 0 "$d/good_minimal.json" "z1 " "c1 " "p1 "
check_expect 0 "$d/good_multi.json" "(multipolygon)" "2020-04-01T09:00:00Z  2020-04-01T12:00" \
    "corridor c1 ends" "left 2500 m, right 2500 m"

# One broken agreement per kind of error.
check_expect 3 "$d/bad_lat_range.json" 'feature "c1"' "geometry" "latitude 95.2 out of range"
check_expect 3 "$d/bad_lon_range.json" 'feature "z1"' "geometry ring 0" "longitude 181 out of range"
check_expect 3 "$d/bad_ring_open.json" 'feature "z1"' "geometry ring 0" "ring is not closed"
check_expect 3 "$d/bad_self_intersect.json" 'feature "z1"' "geometry" "Self-intersection"
check_expect 3 "$d/bad_corridor_one_vertex.json" 'feature "c1"' "geometry" "fewer than 2 distinct vertices"
check_expect 3 "$d/bad_role.json" 'feature "p1"' "properties.role" 'unknown role "buffer"'
check_expect 3 "$d/bad_timezone.json" "agreement: timezone" 'unknown time zone "Asia/Idlib"'
check_expect 3 "$d/bad_instant.json" "agreement: ceasefire" 'found "6 March 2020 00:00", expected a date'
check_expect 3 "$d/bad_date.json" 'feature "p1"' "from" "not a real date"
check_expect 3 "$d/bad_from_after_until.json" 'feature "c1"' "until" "is not before"
check_expect 3 "$d/bad_duplicate_id.json" 'feature "c1"' "id" 'duplicate feature id "c1" (also features[1])'
check_expect 3 "$d/bad_negative_depth.json" 'feature "c1"' "properties.left_m" "found -5, expected a depth"
check_expect 3 "$d/bad_missing_depth.json" 'feature "c1"' "properties.left_m" "missing depth"
check_expect 3 "$d/bad_gap.json" "agreement: ceasefire" "does not exist in Asia/Damascus"
check_expect 3 "$d/bad_no_id.json" "features[1]: properties.right_m" 'found "six km"'
check_expect 3 "$d/bad_rule_ref.json" 'rule "r1": zones' '"z9" is not the id of any zone'
check_expect 3 "$d/bad_rule_key.json" 'rule "r1": event_type' "unknown key"
check_expect 3 "$d/bad_syntax.json" "not valid JSON"
# All errors in a file are reported, not just the first.
check_expect 3 "$d/bad_many.json" "ring is not closed" "properties.left_m" 'unknown role "buffer"' \
    'unknown time zone "Nowhere/Town"' "4 errors"

check_expect 3 "$d/bad_road_too_long.json" 'feature "c1": geometry' \
    "is 535001 km long, more than the limit of 500000 km"

# The engine's limits on geometry (TRUCE_ROAD_MAX_VERTICES): check refuses a
# zone or road past them as every command that loads the agreement does,
# with the same message; a country-sized border of 100,000 vertices passes.
# ring N: a closed ring of N positions (a circle around Idlib).
ring() {
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) { t = 6.283185307179586 * (i % (n - 1)) / (n - 1)
        printf "%s[%.7f,%.7f]", i ? "," : "", 36.5 + 0.4 * cos(t), 35.75 + 0.3 * sin(t) } }'
}
# with_zone N FILE: an agreement whose one feature is a zone with a ring of N positions.
with_zone() {
    { printf '{"type":"FeatureCollection","agreement":{"parties":["A","B"],'
      printf '"timezone":"Asia/Damascus","ceasefire":"2020-03-06T00:00"},'
      printf '"features":[{"type":"Feature","id":"big","properties":{"role":"zone"},'
      printf '"geometry":{"type":"Polygon","coordinates":[['
      ring "$1"
      printf ']]}}]}\n'; } >"$2"
}
with_zone 500001 "$tmp/big_zone.json"
limit='big_zone.json: error: feature "big": geometry: has 500001 vertices, more than the limit of 500000'
events=$src/data/idlib-2020/events.geojson
for cmd in "check big_zone.json" "classify -o out.jsonl big_zone.json $events" \
    "map --no-borders -o map.svg big_zone.json $events" "corridor big_zone.json"; do
    rundir=$tmp expect 3 "$cmd" "$limit"
done
rundir=$tmp expect 3 "measure --corridor big big_zone.json" "$limit"
with_zone 100000 "$tmp/border.json"
rundir=$tmp expect 0 "check border.json" "big "
# A road file for measure: the same limit, the same words.
{ printf '{"type":"LineString","coordinates":['; ring 500001; printf ']}\n'; } >"$tmp/road.json"
rundir=$tmp expect 3 "measure road.json" \
    "road.json: error: geometry.coordinates: has 500001 vertices, more than the limit of 500000"

# Usage and I/O.
"$truce" check >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "no argument: expected exit 2"
"$truce" check "$d/does-not-exist.json" >/dev/null 2>"$err"; s=$?
[ $s -eq 4 ] && grep -q "cannot read" "$err" && ok || bad "missing file: exit $s, expected 4"
"$truce" check --help | grep -q "usage: truce check" && ok || bad "check --help"
"$truce" --help | grep -q "check" && ok || bad "truce --help"
"$truce" --version | grep -Eq "^truce [0-9]+\.[0-9]+\.[0-9]+$" && ok || bad "truce --version"
"$truce" check --format json "$src/data/idlib-2020/agreement.geojson" >"$out" 2>"$err" &&
    grep -q '"utc": "2020-03-05T22:00:00Z"' "$out" && ok || bad "check --format json"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
