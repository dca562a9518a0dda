#!/bin/sh
# A sighting's observer as a named place (docs/events.md, "Sightings"):
# observer_place names one of the agreement's places (ASCII
# case-insensitive) and reads as its point, byte for byte the golden
# (tests/cli/golden/observer_place.jsonl) and the same sector as the
# observer's coordinates give; an unknown place, a name of two places, a
# place beside coordinates, or no agreement to look it up in rejects the
# row naming file, line and field; GeoJSON properties alike; classify
# and dedup read it with their agreement.
# usage: sh test_observer_place.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
a=$src/data/idlib-2020/agreement.geojson
rundir=$src/tests/data/events
expect 0 "events --agreement $a sightings_places.jsonl" "read 2, accepted 2, rejected 0"
cmp -s "$out" "$src/tests/cli/golden/observer_place.jsonl" && ok ||
    bad "events output differs from golden/observer_place.jsonl: $(diff "$out" "$src/tests/cli/golden/observer_place.jsonl" | head -5)"
# "turumbah" is Turumbah of the agreement, where obs-1 of sightings.jsonl
# stands: the same sector, so the same covering disk.
grep -F '"id":"obs-p1"' "$out" | grep -o '"lon":[^,]*,"lat":[^,]*,"radius_m":[^,]*' >"$tmp/by_name"
expect 0 "events sightings.jsonl"
grep -F '"id":"obs-1"' "$out" | grep -o '"lon":[^,]*,"lat":[^,]*,"radius_m":[^,]*' >"$tmp/by_point"
[ -s "$tmp/by_name" ] && cmp -s "$tmp/by_name" "$tmp/by_point" && ok ||
    bad "by name $(cat "$tmp/by_name"), by point $(cat "$tmp/by_point")"
rundir=

# Judged as any sighting: obs-p1's sector is inside the M4 corridor.
expect 0 "classify -f jsonl $a $src/tests/data/events/sightings_places.jsonl" "accepted 2"
grep -F '"id":"obs-p1"' "$out" | grep -qF '"m4":{' && grep -F '"id":"obs-p1"' "$out" |
    grep -o '"m4":{[^}]*}' | grep -qF '"position":"inside"' && ok || bad "obs-p1 not inside m4"

# Bad rows: file, line, field and why; the good row stands.
printf '%s\n' \
    '{"id":"b1","date":"2020-03-10","observer_place":"Nowhere","bearing_min_deg":0,"bearing_max_deg":90,"distance_min_m":1000,"distance_max_m":3000}' \
    '{"id":"b2","date":"2020-03-10","observer_place":"Ariha","observer_lon":36.6,"observer_lat":35.8,"bearing_min_deg":0,"bearing_max_deg":90,"distance_min_m":1000,"distance_max_m":3000}' \
    '{"id":"b3","date":"2020-03-10","observer_place":7}' \
    '{"id":"b4","date":"2020-03-10","observer_place":"Ariha","bearing_min_deg":0,"bearing_max_deg":90,"distance_min_m":1000,"distance_max_m":3000}' \
    >"$tmp/bad.jsonl"
expect 3 "events --agreement $a $tmp/bad.jsonl" \
    "bad.jsonl:1: observer_place: \"Nowhere\" is not a place the agreement names" \
    "bad.jsonl:2: observer_place: give observer_lon and observer_lat, or observer_place, not both" \
    "bad.jsonl:3: observer_place: expected a string" "read 4, accepted 1, rejected 3"
expect 3 "events $tmp/bad.jsonl" "bad.jsonl:4: observer_place: \"Ariha\": no named places"
# A name that two points of one feature carry is no one place.
python3 - "$a" "$tmp/twin.geojson" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["features"].append({"type": "Feature", "id": "twin",
                      "properties": {"role": "place", "name": "Twin"},
                      "geometry": {"type": "MultiPoint", "coordinates": [[36.6, 35.8], [36.7, 35.9]]}})
json.dump(d, open(sys.argv[2], "w"))
PY
printf '%s\n' '{"id":"t1","date":"2020-03-10","observer_place":"twin","bearing_min_deg":0,"bearing_max_deg":90,"distance_min_m":1000,"distance_max_m":3000}' >"$tmp/twin.jsonl"
expect 3 "events --agreement $tmp/twin.geojson $tmp/twin.jsonl" \
    "twin.jsonl:1: observer_place: \"twin\" names 2 places; give observer_lon and observer_lat"

# GeoJSON properties: the place is the observer, not the geometry.
cat >"$tmp/p.geojson" <<'G'
{"type":"FeatureCollection","features":[
{"type":"Feature","id":"g1","geometry":null,"properties":{"date":"2020-03-10","event_type":"shelling","observer_place":"Turumbah","bearing_min_deg":0,"bearing_max_deg":90,"distance_min_m":1000,"distance_max_m":3000}},
{"type":"Feature","id":"g2","geometry":null,"properties":{"date":"2020-03-10","observer_place":"Nowhere","bearing_min_deg":0,"bearing_max_deg":90,"distance_min_m":1000,"distance_max_m":3000}}]}
G
expect 3 "events --agreement $a $tmp/p.geojson" \
    "p.geojson:3: properties.observer_place: \"Nowhere\" is not a place the agreement names" \
    "read 2, accepted 1, rejected 1"
grep -F '"id":"g1"' "$out" | grep -qF '"observer_lon":36.76833,"observer_lat":35.85979' && ok ||
    bad "g1's observer: $(cat "$out")"

# dedup reads it with --agreement.
expect 0 "dedup --agreement $a -f jsonl $src/tests/data/events/sightings_places.jsonl" "rejected 0"
expect 3 "dedup -f jsonl $src/tests/data/events/sightings_places.jsonl" "observer_place"

echo "observer_place: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
