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

# NUL bytes cut fields short: "35.8<NUL>garbage" was read as 35.8 and
# "2020-03-10<NUL>junk" as the date.  Every reader rejects a text holding a
# NUL, naming the field (GeoJSON and JSON Lines "\u0000" too).
{
    echo "$acled_head"
    printf 'N1,2020-03-10,2020,1,Battles,Ariha,35.8\000garbage,36.5,1,n,3\n'
    printf 'N2,2020-03-10\000junk,2020,1,Battles,Ariha,35.8,36.5,1,n,3\n'
    printf 'N3,2020-03-10,2020,1,Battles,Ariha,35.8,36.5,1,before\000<script>,3\n'
    printf 'N4,2020-03-10,2020,1,Battles,Ariha,35.8,36.5,1,fine,3\n'
} >nul.csv
expect 3 "events nul.csv" 'nul.csv:2: latitude: holds a NUL byte' \
    'nul.csv:3: event_date: holds a NUL byte' 'nul.csv:4: notes: holds a NUL byte' \
    'read 4, accepted 1, rejected 3'
roundtrip nul.csv acled
cat >nul.geojson <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","id":"G1","properties":{"date":"2020-03-10\u0000junk"},"geometry":null},
{"type":"Feature","id":"G\u00002","properties":{"date":"2020-03-10"},"geometry":null},
{"type":"Feature","id":"G3","properties":{"date":"2020-03-10"},"geometry":null}]}
JSON
expect 3 "events nul.geojson" 'nul.geojson:2: properties.date: holds a NUL byte' \
    'nul.geojson:3: id: holds a NUL byte' 'read 3, accepted 1, rejected 2'
roundtrip nul.geojson geojson
printf '%s\n' '{"id":"J1","date":"2020-03-10\u0000junk"}' '{"id":"J2","date":"2020-03-10"}' >nul.jsonl
expect 3 "events nul.jsonl" 'nul.jsonl:1: date: holds a NUL byte' 'read 2, accepted 1, rejected 1'

# Text that is not UTF-8 (C0 80, an escaped lone surrogate) went from
# GeoJSON into the output, which truce then refused to read.  Every reader
# rejects it, naming the field.
{
    echo '{"type":"FeatureCollection","features":['
    echo '{"type":"Feature","id":"U1","properties":{"date":"2020-03-10","notes":"\udc00"},"geometry":{"type":"Point","coordinates":[36.5,35.8]}},'
    printf '{"type":"Feature","id":"U2","properties":{"date":"2020-03-10","notes":"\300\200"},"geometry":{"type":"Point","coordinates":[36.5,35.8]}},\n'
    printf '{"type":"Feature","id":"U3","properties":{"date":"2020-03-10","notes":"caf\303\251 \\ud83d\\ude00"},"geometry":{"type":"Point","coordinates":[36.5,35.8]}}]}\n'
} >utf8.geojson
expect 3 "events utf8.geojson" 'utf8.geojson:2: properties.notes: not UTF-8' \
    'utf8.geojson:3: properties.notes: not UTF-8' 'read 3, accepted 1, rejected 2'
roundtrip utf8.geojson geojson
{
    echo "$acled_head"
    printf 'V1,2020-03-10,2020,1,Battles,Ari\300\200ha,35.8,36.5,1,n,3\n'
} >utf8.csv
expect 3 "events utf8.csv" 'utf8.csv:2: location: not UTF-8 (column 6)'

# A file name that is not UTF-8 went raw into the JSON "file" member; it is
# written with U+FFFD for each byte that is not UTF-8.
bad_name=$(printf 'caf\351.csv')
cp dot.csv "$bad_name"
"$truce" events "$bad_name" >name.jsonl 2>/dev/null && ok || bad "events on a non-UTF-8 file name"
valid_json name.jsonl && grep -q "\"file\":\"caf$(printf '\357\277\275').csv\"" name.jsonl && ok ||
    bad "a non-UTF-8 file name is not written as UTF-8"
"$truce" events name.jsonl >/dev/null 2>&1 && ok || bad "events does not read back name.jsonl"

# A column named twice in a CSV header used to read the first silently.
printf '%s,Latitude\nD1,2020-03-10,2020,1,Battles,Ariha,35.8,36.5,1,n,3,99\n' "$acled_head" >dup.csv
expect 3 "events dup.csv" \
    'dup.csv:1: error: latitude: the ACLED header has column "latitude" twice (columns 7 and 12)'

# GeoJSON kept the last of a repeated key while JSON Lines refused the row:
# both refuse it now.
cat >dupkey.geojson <<'JSON'
{"type":"FeatureCollection","features":[
{"type":"Feature","id":"K1","properties":{"date":"2020-03-10","notes":"a","notes":"b"},"geometry":null},
{"type":"Feature","id":"K2","properties":{"date":"2020-03-10","notes":"a"},"geometry":null}]}
JSON
expect 3 "events dupkey.geojson" \
    'dupkey.geojson:2: properties.notes: key "notes" repeated in an object' 'read 2, accepted 1, rejected 1'
printf '%s\n' '{"id":"K1","date":"2020-03-10","notes":"a","notes":"b"}' >dupkey.jsonl
expect 3 "events dupkey.jsonl" 'dupkey.jsonl:1:' 'duplicate object key' 'read 1, accepted 0, rejected 1'

# A JSON token longer than the row cap stops a GeoJSON file (YAJL would
# hold it whole); the features after it were left out of "read" without a
# word.  The message says that reading stopped and they are not counted.
python3 - <<'PY' >long.geojson
f = '{"type":"Feature","id":"%s","properties":{"date":"2020-03-10"%s},"geometry":null}'
print('{"type":"FeatureCollection","features":[')
print(f % ("L1", "") + ",")
print(f % ("L2", ',"notes":"' + "x" * 5000 + '"') + ",")
print(f % ("L3", "") + "]}")
PY
expect 3 "events --max-row-bytes 1000 long.geojson" \
    'long.geojson:3: a JSON token or a run of white space longer than the maximum row size (1000 bytes); reading stops here: the features after it are not read or counted' \
    'read 2, accepted 1, rejected 1'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
