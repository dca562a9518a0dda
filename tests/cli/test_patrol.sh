#!/bin/sh
# truce patrol: generated patrols along the bundled m4-patrol route, whose
# coverage, detour and start date are known by construction (gen-track), are
# judged; usage errors and missing files give the documented exit statuses.
# usage: sh test_patrol.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
agreement=$src/data/idlib-2020/agreement.geojson

gen() {
    name=$1; shift
    "$truce" gen-track "$@" -o "$tmp/$name.gpx" "$agreement" 2>"$err" && ok ||
        bad "gen-track $*: exit $?"
}

gen full --spacing 100
gen detour --spacing 100 --detour 32,42,2000 --stop 10,600
gen back --spacing 100 --turn-back 40 --start 2020-03-14T07:00:00Z

# The whole route, no gap, nothing off it.
expect 0 "patrol $agreement full.gpx" "route m4-patrol: 58.429 km, patrols from 2020-03-15" \
    "covered      58.429 of 58.429 km (100.0%) in 1 stretch" "gaps         0" \
    "off route    0:00:00, 0.000 km, 0 of" "start        2020-03-15T07:00:00Z (2020-03-15T09:00:00+02:00)" \
    "direction    increasing"
grep -q "BEFORE START" "$out" && bad "full patrol flagged before start" || ok

# The 2 km detour from km 32 to 42: one gap over it, worst offset 2000 m,
# 13 km off the route (10 km beside it and 1.5 km of each leg) at 40 km/h.
expect 0 "patrol $agreement detour.gpx" "covered      48.429 of 58.429 km" \
    "km 32.000 to 42.000 (10.000 km)" "off route    0:19:30, 13.000 km" "worst offset 2000.0 m" \
    "stops        1"

# Turned back at km 40 on 14 March: 40 km covered, the end is a gap, and the
# patrol ran before the route's start date.
expect 0 "patrol $agreement back.gpx" "covered      40.000 of 58.429 km" \
    "km 40.000 to 58.429 (18.429 km)" "direction    both" "BEFORE START"

# JSON: the fields issue 7 asks for, one object per track, in file order.
expect 0 "patrol --format json $agreement full.gpx detour.gpx back.gpx" '"tracks"'
for key in track covered_m covered_fraction gaps off_route_s max_offset_m start_utc end_utc \
    before_start; do
    [ "$(sed '/"summary": {/,$d' "$out" | grep -c "\"$key\": ")" -eq 3 ] && ok ||
        bad "patrol --format json: not 3 \"$key\""
done
grep -E '"file": ' "$out" | tr -d ' ,' | tr '\n' ' ' |
    grep -qF '"file":"full.gpx" "file":"detour.gpx" "file":"back.gpx"' && ok ||
    bad "patrol --format json: tracks not in file order"
grep -qE '"max_offset_m": (2000\.(00|01)|1999\.99)' "$out" && ok ||
    bad "patrol --format json: the detour's worst offset is not 2000 m to 1 cm"
grep -qF '"start_utc": "2020-03-15T07:00:00Z"' "$out" && ok || bad "patrol --format json: start_utc"
[ "$(grep -c '"before_start": true' "$out")" -eq 1 ] && ok ||
    bad "patrol --format json: one track (back.gpx) should be before_start"
grep -qE '"gaps": \[\]' "$out" && ok || bad "patrol --format json: the full patrol has gaps"

# A wider tolerance swallows the detour; --min-gap hides short gaps.
expect 0 "patrol --tolerance 2500 $agreement detour.gpx" "gaps         0" "off route    0:00:00"
expect 0 "patrol --min-gap 20000 $agreement back.gpx" "gaps         0"

# The allowed window: a patrol from 05:00 local (03:00Z) to 06:27:38 runs its
# first hour before a window opening at 06:00.
gen early --spacing 500 --start 2020-03-15T03:00:00Z
expect 0 "patrol --window 06:00-18:00 $agreement early.gpx" \
    "window       06:00-18:00 local, 1:00:00 outside" \
    "OUTSIDE WINDOW the patrol ran 1:00:00 outside the allowed hours 06:00-18:00"
expect 0 "patrol --window 22:00-06:30 $agreement early.gpx" "window       22:00-06:30 local, 0:00:00 outside"
grep -q "OUTSIDE WINDOW" "$out" && bad "a patrol inside a window across midnight flagged" || ok
expect 0 "patrol $agreement early.gpx" "stops"
grep -q "window" "$out" && bad "a window reported where none was given" || ok
expect 0 "patrol --format json --window 06:00-18:00 $agreement early.gpx" \
    '"window": "06:00-18:00"' '"outside_window_s": 3600.0' '"outside_window": true'
# ... or the route's own "window" property, which --window overrides.
sed 's/"role": "patrol_route",/"role": "patrol_route", "window": "06:00-18:00",/' "$agreement" \
    >"$tmp/windowed.geojson"
expect 0 "check windowed.geojson" "window 06:00-18:00 local"
expect 0 "patrol windowed.geojson early.gpx" "OUTSIDE WINDOW the patrol ran 1:00:00"
expect 0 "patrol --window 05:00-07:00 windowed.geojson early.gpx" "window       05:00-07:00 local, 0:00:00"
sed 's/"role": "patrol_route",/"role": "patrol_route", "window": "6-18",/' "$agreement" \
    >"$tmp/badwindow.geojson"
expect 3 "patrol badwindow.geojson early.gpx" 'm4-patrol": window: found "6-18", expected the allowed hours as "HH:MM-HH:MM"'
expect 2 "patrol --window 06:00-06:00 $agreement early.gpx" "bad value '06:00-06:00' for --window"
expect 2 "patrol --window 6-18 $agreement early.gpx" "bad value '6-18' for --window"

# Across tracks: 15 March the whole route, 16 March a turn-back at km 40,
# 17 March nothing, 18 March the detour from km 32 to 42; 14 March (before
# the route's start) is left out.  Golden summary, known by construction.
gen d16 --spacing 100 --turn-back 40 --start 2020-03-16T07:00:00Z
gen d18 --spacing 100 --detour 32,42,2000 --start 2020-03-18T07:00:00Z
expect 0 "patrol $agreement full.gpx d16.gpx d18.gpx back.gpx" "summary"
sed -n '/^summary/,$p' "$out" >"$tmp/summary"
cmp -s "$tmp/summary" "$src/tests/cli/golden/patrol_summary.txt" && ok ||
    { bad "patrol summary differs from golden"; diff "$tmp/summary" "$src/tests/cli/golden/patrol_summary.txt" >&2; }
expect 0 "patrol --bin 500 --from 2020-03-16 --to 2020-03-17 $agreement full.gpx d16.gpx d18.gpx" \
    "period       2020-03-16 to 2020-03-17, 2 days" "tracks       1 in the period, 2 left out" \
    "per 0.5 km of route" "km   0.000 to  40.000       1     1    50.0%   100.0%" \
    "km  40.000 to  58.429       0     0     0.0%     0.0%"
expect 0 "patrol --format json $agreement full.gpx d16.gpx d18.gpx back.gpx" '"summary": {' \
    '"from": "2020-03-15"' '"to": "2020-03-18"' '"days_without_patrol": [' '"bin_m": 1000.0' \
    '"left_out": 1' '"patrol_days": 3'
tr -d ' \n' <"$out" | grep -qF '"days_without_patrol":["2020-03-17"]' && ok ||
    bad "patrol --format json: days_without_patrol is not [2020-03-17]"
[ "$(grep -c '"from_m": ' "$out")" -eq 59 ] && ok || bad "patrol --format json: not 59 bins"
expect 2 "patrol --from 2020-03-18 --to 2020-03-16 $agreement full.gpx" "--from is after --to"
expect 2 "patrol --from 16/03/2020 $agreement full.gpx" "bad value '16/03/2020' for --from"
expect 2 "patrol --bin 0 $agreement full.gpx" "bad value '0' for --bin"

# GeoJSON: full (1 covered), detour (2 covered, 1 gap, 1 off route), back
# (1 covered, 1 gap): 7 LineStrings that GDAL reads.
expect 0 "patrol --format geojson -o patrol.geojson $agreement full.gpx detour.gpx back.gpx"
[ "$(grep -c '"type":"Feature"' "$tmp/patrol.geojson")" -eq 7 ] && ok || bad "geojson: not 7 features"
[ "$(grep -c '"kind":"off_route"' "$tmp/patrol.geojson")" -eq 1 ] && ok || bad "geojson: not 1 off_route"
[ "$(grep -c '"kind":"gap","from_m":32000' "$tmp/patrol.geojson")" -eq 1 ] && ok ||
    bad "geojson: no gap from km 32"
grep -qE '\[36\.[0-9]{7},35\.[0-9]{7}\]' "$tmp/patrol.geojson" && ok || bad "geojson: not lon,lat at 7 decimals"
grep -qF '"start_utc":"2020-03-15T07:' "$tmp/patrol.geojson" && ok || bad "geojson: off_route without times"
if command -v ogrinfo >/dev/null 2>&1; then
    ogrinfo -ro -al -so "$tmp/patrol.geojson" >"$out" 2>"$err"
    grep -qF "Feature Count: 7" "$out" && grep -qF "Geometry: Line String" "$out" && ok ||
        { bad "ogrinfo does not read 7 LineStrings"; cat "$out" "$err" >&2; }
else
    echo "ogrinfo not found: GDAL check skipped" >&2
fi

# Usage, bad input, I/O.
expect 2 "patrol $agreement" "usage: truce patrol"
expect 2 "patrol --format xml $agreement full.gpx" "unknown format 'xml' (expected table, json or geojson)"
expect 2 "patrol --tolerance 0 $agreement full.gpx" "bad value '0' for --tolerance"
expect 2 "patrol --min-gap far $agreement full.gpx" "bad value 'far' for --min-gap"
expect 3 "patrol --route nope $agreement full.gpx" "no patrol route nope"
expect 3 "patrol $agreement $src/tests/data/gpx/truncated.gpx full.gpx" "malformed XML" \
    "covered      58.429"
expect 4 "patrol $agreement nowhere.gpx" "cannot read"
expect 4 "patrol nowhere.geojson full.gpx" "cannot read"
expect 0 "patrol --help" "usage: truce patrol"
expect 0 "--help" "patrol "

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
