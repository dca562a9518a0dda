#!/bin/sh
# truce events on hostile input: whatever a reader accepts is written as
# valid JSON and valid UTF-8 and reads back through `truce events`; what it
# cannot read faithfully (NUL bytes, bytes that are not UTF-8, repeated
# keys or columns) is rejected naming file, line and field.
# usage: sh test_events_hostile.sh TRUCE_BINARY SOURCE_DIR
. "$2/tests/cli/lib.sh"
cd "$tmp" || exit 1

# valid_json FILE: every line of FILE (JSON Lines) or the whole of it
# (GeoJSON) is JSON, and every byte is UTF-8.
valid_json() {
    python3 - "$1" <<'PY'
import json, sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")  # strict: raises on bytes that are not UTF-8
if text.startswith('{"type":"FeatureCollection"'):
    json.loads(text)
else:
    for line in text.splitlines():
        json.loads(line)
PY
}

agreement=$src/data/idlib-2020/agreement.geojson

# roundtrip FILE FORMAT [OPTIONS]: `truce events` on FILE writes valid JSON Lines
# (and valid GeoJSON), which `truce events` reads back, every row accepted,
# to the same JSON Lines.
roundtrip() {
    f=$1; fmt=$2; shift 2
    set -- --format "$fmt" "$@"
    "$truce" events "$@" "$f" >rt1.jsonl 2>rt.err
    s=$?
    [ $s -eq 0 ] || [ $s -eq 3 ] || { bad "events $f: exit $s"; cat rt.err >&2; return; }
    valid_json rt1.jsonl || { bad "events $f: output is not JSON and UTF-8"; return; }
    "$truce" classify -f geojson --input-format "$fmt" "$agreement" "$f" >rt1.geojson 2>/dev/null
    valid_json rt1.geojson || { bad "classify -f geojson $f: output is not JSON and UTF-8"; return; }
    "$truce" events rt1.jsonl >rt2.jsonl 2>rt.err ||
        { bad "events $f: its output does not read back"; cat rt.err >&2; return; }
    cmp -s rt1.jsonl rt2.jsonl && ok || bad "events $f: read back differs"
}

acled_head='event_id_cnty,event_date,year,time_precision,event_type,location,latitude,longitude,geo_precision,notes,fatalities'

# A coordinate written ".5" or "-.25" (or "+1", "1.", "01.5", "1e2", a long
# digit string) was copied into the JSON as it was: `"lat":.5`.
{
    echo "$acled_head"
    echo 'A1,2020-03-10,2020,1,Battles,Ariha,.5,-.25,1,dot,3'
    echo 'A2,2020-03-10,2020,1,Battles,Ariha,+1,1.,1,plus,3'
    echo 'A3,2020-03-10,2020,1,Battles,Ariha,01.5,1e2,1,zeros,3'
    echo 'A4,2020-03-10,2020,1,Battles,Ariha,35.80000000000000000000000000001,-0,1,long,3'
    echo 'A5,2020-03-10,2020,1,Battles,Ariha,-00.50,+.125,1,more,3'
} >dot.csv
expect 0 "events dot.csv" '"lon":-0.25,"lat":0.5,' '"lon":1,"lat":1,' '"lon":100,"lat":1.5,' \
    '"lon":0,"lat":35.8,' '"lon":0.125,"lat":-0.5,'
roundtrip dot.csv acled
expect 0 "classify -f geojson $agreement $tmp/dot.csv" '"coordinates":[-0.25,0.5]' '"lat":0.5,'

# Old Mac line ends (a bare CR) read every row (they used to read none,
# exit 0), with the format detected and the right line numbers; mixed too.
printf '%s\r' "$acled_head" 'C1,2020-03-10,2020,1,Battles,Ariha,35.8,36.5,1,one,3' \
    'C2,2020-03-10,2020,1,Battles,Ariha,95,36.5,1,two,3' >cr.csv
printf 'C3,2020-03-10,2020,1,Battles,Ariha,35.8,36.5,1,"a\r\nb",3\r\nC4,2020-03-10,2020,1,Battles,Ariha,35.8,36.5,1,four,3\n' >>cr.csv
expect 3 "events --format acled cr.csv" '"id":"C1"' '"line":2' 'cr.csv:3: latitude:' '"id":"C3"' \
    '"line":4' '"notes":"a\nb"' '"line":6' 'read 4, accepted 3, rejected 1'
expect 3 "events cr.csv" 'read 4, accepted 3, rejected 1'
roundtrip cr.csv acled

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
