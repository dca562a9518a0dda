#!/bin/sh
# truce patrol: generated patrols along the bundled m4-patrol route, whose
# coverage, detour and start date are known by construction (gen-track), are
# judged; usage errors and missing files give the documented exit statuses.
# usage: sh test_patrol.sh TRUCE_BINARY SOURCE_DIR
set -u
truce=$1
src=$2
case $truce in /*) ;; *) truce=$(pwd)/$truce ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
agreement=$src/data/idlib-2020/agreement.geojson
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
err=$tmp/err
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect STATUS "ARGS" PATTERN... : run truce with ARGS (word-split) from the
# temporary directory; compare the status, grep stdout+stderr for each pattern.
expect() {
    want=$1; args=$2; shift 2
    # shellcheck disable=SC2086
    (cd "$tmp" && "$truce" $args) >"$out" 2>"$err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        bad "truce $args: exit $got, expected $want"; cat "$err" >&2; return
    fi
    for pat in "$@"; do
        if ! grep -qF -- "$pat" "$out" "$err"; then
            bad "truce $args: output lacks '$pat'"; cat "$out" "$err" >&2; return
        fi
    done
    ok
}

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
    [ "$(grep -c "\"$key\": " "$out")" -eq 3 ] && ok || bad "patrol --format json: not 3 \"$key\""
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

# Usage, bad input, I/O.
expect 2 "patrol $agreement" "usage: truce patrol"
expect 2 "patrol --format xml $agreement full.gpx" "unknown format 'xml'"
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
