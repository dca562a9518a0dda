#!/bin/sh
# The round-trip property at the command line (docs/events.md, "Round trip"):
# `truce events` on a file, then on its own output, accepts every line and
# writes the same JSON Lines byte for byte; the output is valid UTF-8 and
# valid JSON.  fuzz/fuzz_roundtrip.c checks the same property field by field
# over the fuzz corpora.
# usage: sh test_roundtrip.sh TRUCE_BINARY SOURCE_DIR
. "$2/tests/cli/lib.sh"
cd "$tmp" || exit 1

# Each line of FILE is a JSON object, and the whole file strict UTF-8 (no
# overlong forms, surrogates or code points past U+10FFFF).
valid_jsonl() {
    python3 -c '
import json, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")
for n, line in enumerate(text.split("\n")[:-1], 1):
    if not isinstance(json.loads(line), dict):
        sys.exit("line %d is not an object" % n)
' "$1"
}

# roundtrip NAME ARGS...: `truce events ARGS` into NAME.1 (exit 0, or 3 when
# rows were rejected), then `truce events NAME.1` into NAME.2.
roundtrip() {
    name=$1
    shift
    "$truce" events "$@" >"$name.1" 2>"$name.err1"
    got=$?
    if [ "$got" -ne 0 ] && [ "$got" -ne 3 ]; then
        bad "truce events $*: exit $got"
        cat "$name.err1" >&2
        return
    fi
    accepted=$(sed -n 's/^truce events: read [0-9]*, accepted \([0-9]*\),.*/\1/p' "$name.err1")
    if [ -z "$accepted" ] || [ "$accepted" -eq 0 ] || [ "$(wc -l <"$name.1")" -ne "$accepted" ]; then
        bad "truce events $*: accepted '$accepted', wrote $(wc -l <"$name.1") lines"
        return
    fi
    if ! valid_jsonl "$name.1" 2>"$name.why"; then
        bad "truce events $*: output not valid UTF-8 JSON Lines: $(tail -n 1 "$name.why")"
        return
    fi
    "$truce" events "$name.1" >"$name.2" 2>"$name.err2"
    got=$?
    if [ "$got" -ne 0 ]; then
        bad "truce events $* then on its output: exit $got"
        head -n 5 "$name.err2" >&2
        return
    fi
    if ! grep -qx "truce events: read $accepted, accepted $accepted, rejected 0" "$name.err2"; then
        bad "truce events $* then on its output: $(tail -n 1 "$name.err2")"
        return
    fi
    if ! cmp -s "$name.1" "$name.2"; then
        bad "truce events $*: its output does not read back to the same events"
        diff "$name.1" "$name.2" | head -n 4 >&2
        return
    fi
    ok
}

# Every layout the generator writes, with every kind of bad row mixed in,
# notes across lines, and the variants of line ends, BOM and date text.
for layout in acled-2023 acled-pre2023 ucdp ucdp-noheader ucdp-hxl geojson; do
    "$gen" --layout $layout --rows 200 --seed 11 --bad all=2 --multiline 20 -o gen.$layout
    roundtrip gen-$layout gen.$layout
done
"$gen" --layout acled-2023 --rows 100 --seed 12 --crlf --bom --date-format text -o crlf.csv
roundtrip crlf crlf.csv
"$gen" --layout acled-pre2023 --rows 100 --seed 13 --date-format dmy --scatter 30 -o dmy.csv
roundtrip dmy dmy.csv

# Several files in one run keep each one's provenance; local days in a zone
# with DST read back as the same instants without the zone.
roundtrip several gen.acled-2023 gen.ucdp gen.geojson
roundtrip damascus --timezone Asia/Damascus gen.acled-pre2023 gen.geojson

# The bundled data.
roundtrip idlib "$src/data/idlib-2020/events.geojson"

# Text and numbers at their edges: quotes, backslashes, control characters,
# line breaks, four-byte UTF-8 and U+2028 in fields; coordinates with a plus
# sign, leading and trailing zeros, more digits than a double holds, at the
# antimeridian, and a negative zero.
acled_header=event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp
{
    echo "$acled_header"
    printf 'A1,2020-03-05,2020,1,Political violence,Battles,Armed clash,"Forces ""quoted"" \001\t ctl",,1,Opp,,2,12,,760,Middle East,Syria,Idleb,Ariha,,"Ariha, \330\243\330\261\331\212\330\255\330\247",+035.80000,36.5,1,src \360\237\230\200 \342\200\250 sep,National,"line one\nline two \\ back",3,,1583366400\n'
    printf 'A2,05 March 2020,2020,2,Political violence,Battles,Armed clash,X,,1,,,0,10,,760,Middle East,Syria,Idleb,Ariha,,P,-0.00010,-179.99999999999999,2,s,N,n,0,,1\n'
    printf 'A3,2020-03-05,2020,3,Political violence,Battles,Armed clash,X,,1,,,0,10,,760,Middle East,Syria,Idleb,Ariha,,P,89.123456789012345678,-0.0,3,s,N,n,7,,1\n'
} >edges.csv
roundtrip edges-csv edges.csv
cat >edges.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "id": 12, "geometry": {"type": "Point", "coordinates": [3.65e1, 358e-1]},
 "properties": {"date": "2020-03-05", "notes": "esc \ud83d\ude00 \u00e9 \/ \u0001 \" \\ \u2028", "fatalities": 2}},
{"type": "Feature", "id": "g2", "geometry": {"type": "Point", "coordinates": [-0.0, 0]},
 "properties": {"start": "2020-03-05T10:00:00+03:00", "end": "2020-03-05T10:01:00+03:00", "radius_m": 12.5}},
{"type": "Feature", "id": "g3", "geometry": null,
 "properties": {"date": "2020-03-29", "event_type": "x", "fatalities": 0, "fatalities_low": 0,
                "fatalities_high": 9007199254740993}},
{"type": "Feature", "id": "1.50", "geometry": {"type": "Point", "coordinates": [179.99999999999997, -89.999999999999986]},
 "properties": {"date": "2020-03-05"}}
]}
EOF
roundtrip edges-geojson edges.geojson
roundtrip edges-geojson-damascus --timezone Asia/Damascus edges.geojson
# JSON Lines not written by truce: a line without provenance gets this
# file's, one with its own keeps it; keys outside the schema are dropped.
cat >edges.jsonl <<'EOF'
{"id":"j1","date":"2020-03-29","lon":36.1,"lat":35.2,"notes":"no provenance"}
{"id":"j2","format":"ucdp","file":"elsewhere.csv","line":7,"start":"2020-03-05T00:00:00Z","end":"2020-03-06T00:00:00Z","violence_type":2,"extra":{"a":[1]}}
{"id":"j3","start":"2020-03-05T10:00:00+03:00","end":"2020-03-05T10:00:01Z","lon":-0,"lat":-0.0,"radius_m":0.1}
EOF
roundtrip edges-jsonl edges.jsonl

# A field that is exactly FeatureCollection (GeoJSON's detection looks for
# that text) must not make the output look like GeoJSON.
{
    echo "$acled_header"
    printf 'F1,2020-03-05,2020,1,Political violence,Battles,Armed clash,X,,1,,,0,10,,760,Middle East,Syria,Idleb,Ariha,,P,35.1,36.1,1,s,N,FeatureCollection,0,,1\n'
} >fc.csv
roundtrip featurecollection fc.csv
# Nor when the first line is longer than what detection looks at (notes of
# 300,000 bytes) and a field before them is exactly "features".
{
    echo "$acled_header"
    printf 'F2,2020-03-05,2020,1,Political violence,features,Armed clash,X,,1,,,0,10,,760,Middle East,Syria,Idleb,Ariha,,P,35.1,36.1,1,s,N,'
    head -c 300000 /dev/zero | tr '\000' 'a'
    printf ',0,,1\n'
} >features.csv
roundtrip features features.csv

# A row within the default cap whose JSON line is longer than it: 200,000
# control characters, each written \u0001 (1.2 MB).
{
    echo "$acled_header"
    printf 'C1,2020-03-05,2020,1,Political violence,Battles,Armed clash,X,,1,,,0,10,,760,Middle East,Syria,Idleb,Ariha,,P,35.1,36.1,1,s,N,"'
    head -c 200000 /dev/zero | tr '\000' '\001'
    printf '",0,,1\n'
} >control.csv
roundtrip control control.csv

echo "test_roundtrip: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
