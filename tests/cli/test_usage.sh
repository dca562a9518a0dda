#!/bin/sh
# Every command's usage paths (cli/cli_options.c): --help and -h print the
# usage on stdout with status 0; an unknown option and missing operands
# print it on stderr with status 2 and nothing on stdout; a bad value of a
# number or --format option gives status 2 and names the option and the
# value, in each command's own words (docs/cli.md); help that cannot be
# written to stdout is an I/O error, status 4.
# usage: sh test_usage.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
A=$src/data/idlib-2020/agreement.geojson
E=$src/data/idlib-2020/events.geojson
G=$src/tests/data/gpx/v11_tracks.gpx
R=$src/tests/data/roads/idlib_segment.geojson

# refused WANT PHRASE CMD... : CMD exits WANT with PHRASE on stderr, stdout empty.
refused() {
    want=$1; phrase=$2; shift 2
    status "$want" "$@"
    grep -qF -- "$phrase" "$tmp/err" && [ ! -s "$tmp/out" ] && ok ||
        bad "$*: stderr lacks '$phrase' or stdout is not empty"
}

for c in check classify corridor events gen-track map measure patrol report serve stats timeline token track; do
    status 0 "$truce" $c --help
    grep -q "^usage: truce $c " "$tmp/out" && [ ! -s "$tmp/err" ] && ok || bad "$c --help"
    cp "$tmp/out" "$tmp/help"
    status 0 "$truce" $c -h
    cmp -s "$tmp/out" "$tmp/help" && ok || bad "$c -h differs from $c --help"
    if [ $c = events ]; then
        refused 2 "unknown option --bogus (see --help)" "$truce" $c --bogus
        refused 2 "no input files" "$truce" $c
    else
        refused 2 "usage: truce $c " "$truce" $c --bogus
        refused 2 "usage: truce $c " "$truce" $c
    fi
done

# operands: too few, too many, with a reason where the command gives one
refused 2 "usage: truce check " "$truce" check "$A" "$A"
refused 2 "usage: truce gen-track " "$truce" gen-track "$A" "$A"
refused 2 "usage: truce classify " "$truce" classify "$A"
refused 2 "usage: truce patrol " "$truce" patrol "$A"
refused 2 "truce corridor: expected one AGREEMENT file" "$truce" corridor "$A" "$A"
refused 2 "truce measure: expected one ROAD file" "$truce" measure "$R" "$R"
refused 2 "truce map: expected an AGREEMENT file" "$truce" map -o "$tmp/m.svg"

# number options
refused 2 "truce corridor: --tolerance: expected metres in [0.001, 100], found '0'" \
    "$truce" corridor --tolerance 0 "$A"
refused 2 "truce measure: --depth: expected metres in [0, 10000000], found '-1'" \
    "$truce" measure --depth -1 "$R"
refused 2 "truce map: --cluster-cell: expected pixels in [4, 200], found 'x'" \
    "$truce" map --cluster-cell x -o "$tmp/m.svg" "$A"
refused 2 "truce classify: --response-window: \"0\" is not a positive number" \
    "$truce" classify --response-window 0 "$A" "$E"
refused 2 "truce stats: --window: \"3661\" is not a number of days in [1, 3660]" \
    "$truce" stats --window 3661 "$A" "$E"
refused 2 "truce report: --max-event-rows: \"1x\" is out of range" \
    "$truce" report --max-event-rows 1x "$A" "$E"
refused 2 "truce timeline: --width: \"319\" is not a size in pixels in [320, 20000]" \
    "$truce" timeline --width 319 "$A" "$E"
refused 2 "truce track: bad value 'nan' for --stop-min" "$truce" track --stop-min nan "$G"
refused 2 "truce patrol: bad value '1000001' for --bin" "$truce" patrol --bin 1000001 "$A" "$G"
refused 2 "truce gen-track: bad value '0' for an option (see --help)" \
    "$truce" gen-track --turn-back 0 "$A"
refused 2 "truce events: --max-row-bytes: \"63\" is not a number in [64, 2^30]" \
    "$truce" events --max-row-bytes 63 "$E"
# ... and the edges of a range are in it
status 0 "$truce" corridor --tolerance 100 -o "$tmp/c.json" "$A"
status 0 "$truce" stats --window 1 "$A" "$E"

# --format
refused 2 "truce check: unknown format 'xml' (expected text or json)" "$truce" check -f xml "$A"
refused 2 "truce track: unknown format 'xml' (expected text or json)" "$truce" track -f xml "$G"
refused 2 "truce stats: unknown format 'xml' (expected table, csv or json)" \
    "$truce" stats -f xml "$A" "$E"
refused 2 "truce classify: unknown format 'xml' (expected table, jsonl, csv or geojson)" \
    "$truce" classify -f xml "$A" "$E"
refused 2 "truce patrol: unknown format 'xml' (expected table, json or geojson)" \
    "$truce" patrol -f xml "$A" "$G"
refused 2 "truce timeline: --format: expected svg or png, found 'xml'" \
    "$truce" timeline --format xml "$A" "$E"

# help, usage and a version that cannot be written: exit 4 with the reason,
# not 0 (the text sat in stdio's buffer and the flush at exit went unchecked)
if [ -c /dev/full ]; then
    for c in check classify corridor events gen-track map measure patrol report serve stats timeline token track; do
        "$truce" $c --help >/dev/full 2>"$tmp/err"
        got=$?
        [ $got -eq 4 ] && grep -qF "truce $c: stdout: write failed: No space left on device" "$tmp/err" &&
            ok || bad "$c --help >/dev/full: exit $got, $(cat "$tmp/err")"
    done
    for a in --help -h --version; do
        "$truce" $a >/dev/full 2>"$tmp/err"
        got=$?
        [ $got -eq 4 ] && grep -qF "truce: stdout: write failed: No space left on device" "$tmp/err" &&
            ok || bad "truce $a >/dev/full: exit $got, $(cat "$tmp/err")"
    done
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
