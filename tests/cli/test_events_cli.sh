#!/bin/sh
# truce events: options, exit statuses, detection, read-back of its own output.
# usage: sh test_events_cli.sh TRUCE_BINARY SOURCE_DIR
set -eu
. "$2/tests/cli/lib.sh"
work=$tmp
cd "$work"
fail=0
n=0

# expect STATUS COMMAND...: run, compare the exit status.
expect() {
    want=$1
    shift
    n=$((n + 1))
    set +e
    "$@" >out.txt 2>err.txt
    got=$?
    set -e
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: '$*' exited $got, want $want; stderr:"
        head -n 5 err.txt
        fail=1
    fi
}

# like FILE PATTERN: grep -q, or fail.
like() {
    if ! grep -q -- "$2" "$1"; then
        echo "FAIL: $1 lacks '$2':"
        head -n 5 "$1"
        fail=1
    fi
}

expect 0 "$truce" events --help
like out.txt "Exit status: 0 every row accepted; 3 rows were rejected"
like out.txt "default: UTC"
expect 2 "$truce" events
expect 2 "$truce" events --bogus x
expect 2 "$truce" events --output-format xml x
expect 2 "$truce" events --timezone UTC --agreement a.json x
expect 4 "$truce" events no-such-file.csv
like err.txt "truce events: no-such-file.csv:"

"$gen" --layout acled-2023 --rows 50 --seed 5 -o a.csv
"$gen" --layout ucdp --rows 50 --seed 6 -o u.csv
"$gen" --layout geojson --rows 50 --seed 7 -o g.geojson

# Detection from content, per file, with a per-file summary for several files.
expect 0 "$truce" events a.csv u.csv g.geojson
like err.txt "a.csv: acled-2023: read 50, accepted 50, rejected 0"
like err.txt "u.csv: ucdp: read 50, accepted 50, rejected 0"
like err.txt "g.geojson: geojson: read 50, accepted 50, rejected 0"
like err.txt "^truce events: read 150, accepted 150, rejected 0$"
[ "$(wc -l <out.txt)" -eq 150 ] || { echo "FAIL: 150 events expected"; fail=1; }

# Standard input.
expect 0 sh -c "\"$truce\" events - <a.csv"
like err.txt "read 50, accepted 50"

# --format overrides detection: UCDP read as ACLED lacks ACLED's columns.
expect 3 "$truce" events --format acled u.csv
like err.txt "the ACLED header has no column"
expect 3 "$truce" events --format nonsense a.csv
like err.txt "unknown format"
printf 'just some text\nnot events\n' >text.txt
expect 3 "$truce" events text.txt
like err.txt "cannot tell the format"

# Output read back: JSON Lines -> events -> JSON Lines is the identity, and
# keeps the provenance (format, file, line) of the first read.
"$truce" events a.csv u.csv g.geojson >first.jsonl 2>/dev/null
expect 0 "$truce" events first.jsonl
cmp -s first.jsonl out.txt || { echo "FAIL: JSON Lines output does not read back identically"; fail=1; }
like out.txt '"format":"ucdp","file":"u.csv","line":2,'

# CSV output: header and one row per event.
expect 0 "$truce" events --output-format csv -o a-out.csv a.csv
head -n 1 a-out.csv | grep -q '^id,format,file,line,start,end,time_precision,lon,lat,radius_m,' ||
    { echo "FAIL: CSV header"; fail=1; }
[ "$(grep -c '^"SYR' a-out.csv)" -eq 50 ] || { echo "FAIL: CSV rows"; fail=1; }

# Precision table: a radius changed for ACLED geo_precision 1.
printf '{"acled": {"1": 1234.5}}\n' >prec.json
"$truce" events a.csv 2>/dev/null | grep '"geo_precision":1,' | head -n 1 | grep -q '"radius_m":2000,' ||
    { echo "FAIL: default radius for ACLED geo_precision 1"; fail=1; }
"$truce" events --precision-table prec.json a.csv 2>/dev/null | grep '"geo_precision":1,' |
    head -n 1 | grep -q '"radius_m":1234.5,' || { echo "FAIL: --precision-table"; fail=1; }
printf '{"acled": {"4": 10}, "ucdp": {"1": -5}}\n' >badprec.json
expect 3 "$truce" events --precision-table badprec.json a.csv
like err.txt "acled.4"
like err.txt "ucdp.1"

# GeoJSON property overrides.
cat >p.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.6, 35.8]},
 "properties": {"event_id": "r1", "day": "2020-03-06", "deaths": 4}}
]}
EOF
expect 3 "$truce" events p.geojson
like err.txt "p.geojson:2: id: missing"
expect 0 "$truce" events --property id=event_id --property date=day --property fatalities=deaths p.geojson
like out.txt '"id":"r1".*"start":"2020-03-06T00:00:00Z","end":"2020-03-07T00:00:00Z"'
like out.txt '"fatalities":4'
expect 2 "$truce" events --property lon=x p.geojson

# Repeated ids are rejected unless --no-id-check.
"$gen" --layout acled-2023 --rows 20 --seed 5 --bad id_repeat=3 -o rep.csv
expect 3 "$truce" events rep.csv
like err.txt "event_id_cnty: repeated id"
expect 0 "$truce" events --no-id-check rep.csv

# --quiet keeps the summary only.
expect 3 "$truce" events --quiet rep.csv
[ "$(wc -l <err.txt)" -eq 1 ] || { echo "FAIL: --quiet"; fail=1; }

# Time zones: a date is its local day.  Damascus in 2020 was UTC+2 until
# 27 March and UTC+3 after, so every generated day (Jan-Jun 2020) starts at
# 22:00Z or 21:00Z of the day before.
expect 0 "$truce" events --timezone Asia/Damascus a.csv
if grep -v '"start":"20[0-9-]*T2[12]:00:00Z"' out.txt | grep -q .; then
    echo "FAIL: Damascus days do not start at 22:00Z/21:00Z"
    fail=1
fi
grep -q '"start":"2020-01-[0-9]*T22:00:00Z"\|"start":"2020-06-[0-9]*T21:00:00Z"' out.txt ||
    { echo "FAIL: no winter or summer Damascus day seen"; fail=1; }
expect 2 "$truce" events --timezone Not/AZone a.csv
like err.txt "unknown time zone"

# The agreement's zone: the bundled Idlib 2020 agreement is in Asia/Damascus.
agreement=$2/data/idlib-2020/agreement.geojson
if [ -f "$agreement" ]; then
    expect 0 "$truce" events --agreement "$agreement" a.csv
    if grep -v '"start":"20[0-9-]*T2[12]:00:00Z"' out.txt | grep -q .; then
        echo "FAIL: --agreement did not give Damascus days"
        fail=1
    fi
fi

if [ "$fail" -ne 0 ]; then
    echo "test_events_cli: FAILED"
    exit 1
fi
echo "test_events_cli: $n commands as expected"
