#!/bin/sh
# truce events on generated files: every layout variant, every kind of bad
# row.  For each file the generator's manifest says which rows are bad (line,
# kind, field) and what every good row must read as; this checks that
#   - the summary is "read N, accepted A, rejected R" with the manifest's counts,
#   - each bad row is reported once, as FILE:LINE: FIELD: ..., at its line,
#   - --rejects holds the header and the bad rows byte for byte,
#   - every good row comes out with its id, line, UTC interval, lon, lat,
#     radius and fatalities as docs/events.md says,
#   - the exit status is 3 (rows rejected), and 0 for a file with none.
# usage: sh test_events_generated.sh TRUCE_BINARY SOURCE_DIR
set -eu
. "$2/tests/cli/lib.sh"
work=$tmp
cd "$work"
fail=0
checks=0

check_file() {
    name=$1
    shift
    "$gen" "$@" --seed 11 --rows 400 --bad all=2 --multiline 10 \
        --manifest "$name.manifest" --expected-rejects "$name.expected" -o "$name" >/dev/null
    set +e
    "$truce" events --rejects "$name.rejects" "$name" >"$name.jsonl" 2>"$name.err"
    rc=$?
    set -e
    checks=$((checks + 1))
    summary=$(grep '^summary,' "$name.manifest")
    rows=$(echo "$summary" | cut -d, -f2)
    good=$(echo "$summary" | cut -d, -f3)
    bad=$(echo "$summary" | cut -d, -f4)
    want="truce events: read $rows, accepted $good, rejected $bad"
    if [ "$(tail -n 1 "$name.err")" != "$want" ]; then
        echo "FAIL $name: summary '$(tail -n 1 "$name.err")', want '$want'"
        fail=1
    fi
    if [ "$bad" -gt 0 ] && [ "$rc" -ne 3 ]; then
        echo "FAIL $name: exit $rc, want 3"
        fail=1
    fi
    # Reported rows: FILE:LINE: [FIELD: ] against the manifest.
    grep '^bad,' "$name.manifest" |
        awk -F, -v f="$name" '{ print f ":" $2 ": " ($4 == "-" ? "" : $4 ": ") }' |
        sort >"$name.want-diag"
    grep -v '^truce events:' "$name.err" |
        sed -E 's/^([^:]+:[0-9]+: )(([a-z_.0-9]+): )?.*/\1\2/' | sort >"$name.got-diag"
    if ! diff "$name.want-diag" "$name.got-diag" >"$name.diff"; then
        echo "FAIL $name: reported rows differ from the manifest:"
        head -n 20 "$name.diff"
        fail=1
    fi
    if ! cmp -s "$name.expected" "$name.rejects"; then
        echo "FAIL $name: --rejects is not the header and the bad rows verbatim"
        cmp "$name.expected" "$name.rejects" || true
        fail=1
    fi
    # Good rows: id,line,start,end,lon,lat,radius_m,fatalities.
    grep '^good,' "$name.manifest" | cut -d, -f2- | sort >"$name.want-good"
    sed -E 's/^\{"id":"([^"]*)",.*"line":([0-9]+),"start":"([^"]*)","end":"([^"]*)",.*"lon":([^,]*),"lat":([^,]*),"radius_m":([^,]*),.*"fatalities":([^,]*),.*$/\1,\2,\3,\4,\5,\6,\7,\8/' \
        "$name.jsonl" | sort >"$name.got-good"
    if ! diff "$name.want-good" "$name.got-good" >"$name.diff"; then
        echo "FAIL $name: good rows differ from the manifest:"
        head -n 20 "$name.diff"
        fail=1
    fi
    if [ "$(wc -l <"$name.want-good")" -ne "$good" ]; then
        echo "FAIL $name: manifest lists $(wc -l <"$name.want-good") good rows, says $good"
        fail=1
    fi
}

for layout in acled-2023 acled-pre2023; do
    for dates in iso text dmy; do
        check_file "$layout-$dates.csv" --layout "$layout" --date-format "$dates"
    done
    check_file "$layout-crlf-bom.csv" --layout "$layout" --crlf --bom --trailing-blank 3
done
for layout in ucdp ucdp-noheader ucdp-hxl; do
    check_file "$layout.csv" --layout "$layout"
    check_file "$layout-crlf-bom.csv" --layout "$layout" --crlf --bom --trailing-blank 2
done
check_file "features.geojson" --layout geojson

# Every kind the generator knows was exercised by some layout.
for kind in columns_few columns_many lat_range lon_range lat_text date_invalid date_garbage \
    id_missing id_repeat fatalities precision year stray_quote unclosed_quote utf8 not_point; do
    if ! cat ./*.manifest | grep -q "^bad,[0-9]*,$kind,"; then
        echo "FAIL: no generated file holds a bad row of kind $kind"
        fail=1
    fi
done

# A file with no bad rows: exit 0, nothing rejected.
"$gen" --layout acled-2023 --rows 200 --seed 3 -o clean.csv
set +e
"$truce" events clean.csv >clean.jsonl 2>clean.err
rc=$?
set -e
checks=$((checks + 1))
if [ "$rc" -ne 0 ] || [ "$(cat clean.err)" != "truce events: read 200, accepted 200, rejected 0" ]; then
    echo "FAIL clean.csv: exit $rc, stderr: $(cat clean.err)"
    fail=1
fi

if [ "$fail" -ne 0 ]; then
    echo "test_events_generated: FAILED"
    exit 1
fi
echo "test_events_generated: $checks files, all rows accounted for"
