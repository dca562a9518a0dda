#!/bin/sh
# The range of instants (docs/events.md, "Time"): years 0001 to 9999 of UTC
# for every instant truce reads or writes, an event's exclusive end
# included.  Regression tests for what hostile input found:
# - SOURCE_DATE_EPOCH=-93700000000 overran the report footer's buffer (ASan:
#   this test runs under the sanitizer build too);
# - an event dated 9999-12-31 ended in year 0000, and 0001-01-01 in an east
#   zone started in year 0000, and neither read back;
# - one event dated 0202 among 2020 events made timeline and report exit 3
#   naming no row;
# - a date-only from/until whose midnight a DST gap skipped was an error in
#   an agreement though the event readers place the same day.
# usage: sh test_time_range.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
agreement=$src/data/idlib-2020/agreement.geojson
events=$src/data/idlib-2020/events.geojson

# ---- SOURCE_DATE_EPOCH -------------------------------------------------
for v in -93700000000 -62135596801 253402300800 99999999999999999999 12abc; do
    SOURCE_DATE_EPOCH=$v "$truce" report -q --no-borders -o "$tmp/r.html" "$agreement" "$events" \
        >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq 2 ] && grep -q "SOURCE_DATE_EPOCH: \"$v\" is not" "$tmp/err" && ok ||
        { bad "SOURCE_DATE_EPOCH=$v: exit $got, expected 2 and a message"; cat "$tmp/err" >&2; }
done
for v in -62135596800:0001-01-01T00:00:00Z 253402300799:9999-12-31T23:59:59Z; do
    SOURCE_DATE_EPOCH=${v%%:*} "$truce" report -q --no-borders -o "$tmp/r.html" "$agreement" \
        "$events" 2>"$tmp/err" && grep -q "on ${v#*:}" "$tmp/r.html" && ok ||
        bad "SOURCE_DATE_EPOCH=${v%%:*}: no footer 'on ${v#*:}'"
done

# ---- events at both ends of the range -----------------------------------
acled_header='event_id_cnty,event_date,year,time_precision,event_type,latitude,longitude,geo_precision,notes,fatalities'
{
    echo "$acled_header"
    echo 'SYR1,9999-12-31,,1,Battles,35.8083,36.49889,1,clash,3'
    echo 'SYR2,0001-01-01,,1,Battles,35.8083,36.49889,1,clash,3'
    echo 'SYR3,9999-12-30,,1,Battles,35.8083,36.49889,1,clash,3'
} >"$tmp/ends.csv"
# UTC: the last day ends at 10000-01-01T00:00Z, outside; the first is fine.
expect 3 "events $tmp/ends.csv" \
    "ends.csv:2: event_date: ends after 9999-12-31T23:59:59Z" "read 3, accepted 2, rejected 1"
grep -q '"end":"0000' "$out" && bad "an end in year 0000 was written" || ok
grep -q '"start":"0001-01-01T00:00:00Z","end":"0001-01-02T00:00:00Z"' "$out" && ok ||
    bad "0001-01-01 not read as the first day"
# What was accepted reads back to the same events.
"$truce" events "$tmp/ends.csv" 2>/dev/null >"$tmp/ends.jsonl"
"$truce" events "$tmp/ends.jsonl" 2>"$tmp/err" >"$tmp/again.jsonl" && cmp -s "$tmp/ends.jsonl" "$tmp/again.jsonl" &&
    ok || { bad "the accepted events do not read back"; cat "$tmp/err" >&2; }
# East of UTC (the agreement's Asia/Tokyo): 0001-01-01 starts in year 0.
sed 's/"Asia\/Damascus"/"Asia\/Tokyo"/' "$agreement" >"$tmp/tokyo.geojson"
expect 3 "classify $tmp/tokyo.geojson $tmp/ends.csv" \
    "ends.csv:3: event_date: starts before 0001-01-01T00:00:00Z" "read 3, accepted 2, rejected 1"
grep -q '"local_start":"9999-12-31T00:00:00+09:00"' "$out" && ok || bad "9999-12-31 in Tokyo not accepted"
# GPX: an offset that carries a time out of the range is a bad time.
cat >"$tmp/t.gpx" <<'GPX'
<?xml version="1.0"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="35.8" lon="36.5"><time>0001-01-01T00:30:00+01:00</time></trkpt>
<trkpt lat="35.8" lon="36.6"><time>9999-12-31T23:59:59Z</time></trkpt>
</trkseg></trk></gpx>
GPX
expect 0 "track $tmp/t.gpx" "found \"0001-01-01T00:30:00+01:00\", expected an ISO 8601 date-time" \
    "from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"
# --now outside the range
expect 2 "stats --now 0001-01-01T00:00+01:00 $agreement $events" "--now: \"0001-01-01T00:00+01:00\" is outside"

# ---- one far-off date among 2020 events --------------------------------
{
    echo "$acled_header"
    for d in 01 02 03 04 05 06 07 08 09 10; do
        echo "SYR$d,2020-03-$d,2020,1,Battles,35.8083,36.49889,1,clash,3"
    done
    echo 'SYR99,0202-03-05,,1,Battles,35.8083,36.49889,1,clash,3'
} >"$tmp/typo.csv"
expect 0 "timeline -o $tmp/t.svg $agreement $tmp/typo.csv" \
    "typo.csv:12: warning: event SYR99 starts 0202-03-04T21:34:48Z" "read 11, accepted 11, rejected 0"
grep -q 'class="tl-note">1 event starting outside the days shown (1970-01-28 to 2070-04-12) is left out: [^<]*typo.csv:12 (SYR99)\.' "$tmp/t.svg" &&
    ok || bad "the timeline's note does not name the far-off event"
[ "$(grep -o 'class="tl-day"' "$tmp/t.svg" | wc -l)" -eq 10 ] && ok || bad "expected 10 day bars"
expect 0 "report -q --no-borders -o $tmp/typo.html $agreement $tmp/typo.csv" "read 11, accepted 11"
grep -q 'is left out: [^<]*typo.csv:12 (SYR99)\.</figcaption>' "$tmp/typo.html" && ok ||
    bad "the report's timeline caption does not name the far-off event"
grep -q '<td>SYR99</td><td>0202-03-05</td>' "$tmp/typo.html" && ok ||
    bad "the far-off event is not in the report's table"

# ---- a date-only from/until on a day whose midnight DST skipped --------
cat >"$tmp/gap.json" <<'JSON'
{"type": "FeatureCollection", "agreement": {"id": "mini", "title": "t", "parties": ["A", "B"],
 "timezone": "Asia/Damascus", "ceasefire": "2020-03-06T00:00",
 "rules": [{"id": "r1", "event_types": ["shelling"], "zones": ["z1"], "corridors": ["c1"]}]},
 "features": [
 {"type": "Feature", "id": "z1", "properties": {"role": "zone", "from": "2020-03-27"},
  "geometry": {"type": "Polygon", "coordinates": [[[36.0, 35.5], [37.0, 35.5], [37.0, 36.0], [36.0, 36.0], [36.0, 35.5]]]}},
 {"type": "Feature", "id": "c1", "properties": {"role": "corridor", "left_m": 6000, "right_m": 6000, "until": "2020-03-26"},
  "geometry": {"type": "LineString", "coordinates": [[36.8, 35.86], [36.6, 35.81], [36.16, 35.78]]}}]}
JSON
expect 0 "check $tmp/gap.json" \
    "2020-03-26T22:00:00Z  2020-03-26       corridor c1 ends" \
    "2020-03-26T22:00:00Z  2020-03-27       zone z1 comes into force"
# The same day read as an event starts at the same instant.
echo '{"id":"e","date":"2020-03-27"}' >"$tmp/gap.jsonl"
expect 0 "classify $tmp/gap.json $tmp/gap.jsonl" '"start":"2020-03-26T22:00:00Z"'
# A local time inside the gap is still an error.
sed 's/"from": "2020-03-27"/"from": "2020-03-27T00:30"/' "$tmp/gap.json" >"$tmp/gap_time.json"
expect 3 "check $tmp/gap_time.json" 'from: local time "2020-03-27T00:30" does not exist in Asia/Damascus'

echo "test_time_range: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
