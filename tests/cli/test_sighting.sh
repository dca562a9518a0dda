#!/bin/sh
# Sightings (docs/events.md, "Sightings"): an observer, a bearing range and a
# distance band, judged by the whole sector against the M4 corridor of the
# bundled agreement: inside, uncertain with a fraction, outside; written
# back as a Polygon by classify -f geojson and read again; a sighting with
# a part missing is a reject naming the file, line and field.
# usage: sh test_sighting.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
a=$src/data/idlib-2020/agreement.geojson
s=$src/tests/data/events/sightings.jsonl
# corridor ID FIELD VALUE: the line of event ID has in its m4 verdict FIELD:VALUE
m4() { grep -F "\"id\":\"$1\"" "$out" | grep -o '"m4":{[^}]*}' | grep -qF "\"$2\":$3" && ok ||
    bad "$1: m4 lacks \"$2\":$3: $(grep -F "\"id\":\"$1\"" "$out" | grep -o '"m4":{[^}]*}')"; }

expect 0 "classify -f jsonl $a $s" "read 3, accepted 3, rejected 0"
m4 obs-1 position '"inside"'
m4 obs-1 fraction_inside 1.0000
m4 obs-2 position '"uncertain"'
m4 obs-3 position '"outside"'
m4 obs-3 fraction_inside 0.0000
# The uncertain sector: 5 km north of the road, 0-2 km further north across
# 30 degrees either side: the part within 6 km is a bit over half.
f=$(grep -F '"id":"obs-2"' "$out" | grep -o '"m4":{[^}]*}' | sed 's/.*"fraction_inside":\([0-9.]*\).*/\1/')
awk -v f="$f" 'BEGIN { exit !(f > 0.3 && f < 0.7) }' && ok || bad "obs-2 fraction $f"
grep -F '"id":"obs-2"' "$out" | grep -qF "% of the sighting's sector is inside corridor m4" && ok ||
    grep -F '"id":"obs-2"' "$out" | grep -qF '"violation":"violation"' && ok || bad "obs-2 reason"
grep -F '"id":"obs-1"' "$out" | grep -qF '"observation":"heard"' && ok || bad "observation kept"

# GeoJSON: the sector's polygon, which reads back to the same verdicts.
expect 0 "classify -f geojson $a $s"
grep -q '"geometry":{"type":"Polygon","coordinates":\[\[\[' "$out" && ok || bad "no Polygon"
cp "$out" "$tmp/back.geojson"
expect 0 "classify -f jsonl $a $tmp/back.geojson" "read 3, accepted 3, rejected 0"
m4 obs-2 position '"uncertain"'
m4 obs-3 position '"outside"'

# GeoJSON input with the observer as a Point.
cat >"$tmp/point.geojson" <<'G'
{"type":"FeatureCollection","features":[{"type":"Feature","id":"p1",
 "geometry":{"type":"Point","coordinates":[36.76833,35.85979]},
 "properties":{"date":"2020-03-10","event_type":"shelling","bearing_min_deg":0,
  "bearing_max_deg":90,"distance_min_m":1000,"distance_max_m":3000}}]}
G
expect 0 "classify -f jsonl $a $tmp/point.geojson" "accepted 1"
m4 p1 position '"inside"'
grep -qF '"observer_lon":36.76833' "$out" && ok || bad "observer from the Point"

# A part missing, a band the wrong way round, an unknown observation.
printf '%s\n' \
    '{"id":"b1","date":"2020-03-10","observer_lon":36.7,"observer_lat":35.9,"bearing_min_deg":0,"distance_min_m":0,"distance_max_m":10}' \
    '{"id":"b2","date":"2020-03-10","observer_lon":36.7,"observer_lat":35.9,"bearing_min_deg":0,"bearing_max_deg":9,"distance_min_m":50,"distance_max_m":10}' \
    '{"id":"b3","date":"2020-03-10","observation":"smelt"}' >"$tmp/bad.jsonl"
expect 3 "events $tmp/bad.jsonl" "bad.jsonl:1: bearing_max_deg: missing" \
    "bad.jsonl:2: distance_max_m: 10 is not in (distance_min_m" \
    "bad.jsonl:3: observation: \"smelt\" is not heard, seen or crater"

# The map and the report draw each sector as an area.
expect 0 "map -o $tmp/s.svg $a $s"
[ "$(grep -o 'class="sector [a-z]*"' "$tmp/s.svg" | wc -l)" -eq 3 ] && ok || bad "map: 3 sectors"
expect 0 "report -o $tmp/s.html $a $s"
[ "$(grep -o 'class="sector [a-z]*"' "$tmp/s.html" | wc -l)" -eq 3 ] && ok || bad "report: 3 sectors"

echo "sighting: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
