#!/bin/sh
# truce measure: golden output for a one-segment road whose test points were
# laid out with GeographicLib's GeodSolve (tests/vectors/), bad lines, usage
# errors and a one-vertex road; then the agreement form (--corridor).
# usage: sh test_measure.sh TRUCE_BINARY SOURCE_DIR
set -u
truce=$1
src=$2
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
cd "$src" || exit 1

# Golden: distances 6000, 5985.5, 6014.5 m and chainages 1500, 3550 m are the
# GeodSolve construction; the last row is GeodSolve's inverse from the end.
"$truce" measure --depth 6010 --input tests/data/roads/points.csv \
    tests/data/roads/idlib_segment.geojson >"$out" 2>"$err"
st=$?
[ "$st" -eq 3 ] || bad "bad lines: exit $st, expected 3"
cmp -s "$out" tests/cli/golden/measure_segment.csv || { bad "stdout differs"; diff "$out" tests/cli/golden/measure_segment.csv >&2; }
cmp -s "$err" tests/cli/golden/measure_segment.err || { bad "stderr differs"; diff "$err" tests/cli/golden/measure_segment.err >&2; }

# stdin, no --depth: no inside column, exit 0
printf '36.6,35.8\n' | "$truce" measure tests/data/roads/idlib_segment.geojson >"$out" 2>"$err"
st=$?
[ "$st" -eq 0 ] || bad "stdin: exit $st"
[ "$(head -n 1 "$out")" = "lon,lat,distance_m,chainage_m,side" ] || bad "header without --depth"
[ "$(sed -n 2p "$out")" = "36.6,35.8,0.000000,0.000000,R" ] || bad "stdin row: $(sed -n 2p "$out")"

# usage and input errors
"$truce" measure >/dev/null 2>&1; st=$?; [ "$st" -eq 2 ] || bad "no ROAD: exit $st"
"$truce" measure --depth -5 tests/data/roads/idlib_segment.geojson </dev/null >/dev/null 2>&1
st=$?; [ "$st" -eq 2 ] || bad "negative depth: exit $st"
"$truce" measure --help >"$out" 2>&1; st=$?
[ "$st" -eq 0 ] && grep -q "usage: truce measure" "$out" || bad "--help"
"$truce" measure /nonexistent.geojson </dev/null >/dev/null 2>&1; st=$?
[ "$st" -eq 4 ] || bad "missing road: exit $st"
"$truce" measure --input /nonexistent.csv tests/data/roads/idlib_segment.geojson >/dev/null 2>&1
st=$?; [ "$st" -eq 4 ] || bad "missing input: exit $st"
"$truce" measure tests/data/roads/one_vertex.geojson </dev/null >/dev/null 2>"$err"; st=$?
[ "$st" -eq 3 ] || bad "one-vertex road: exit $st"
grep -q "at least two distinct vertices" "$err" || { bad "one-vertex message"; cat "$err" >&2; }

# The agreement form: the bundled M4 corridor, 6 km each side.
printf '36.6,35.8\n36.7,35.9\n' |
    "$truce" measure --corridor m4 data/idlib-2020/agreement.geojson >"$out" 2>"$err"
st=$?
[ "$st" -eq 0 ] || { bad "--corridor: exit $st"; cat "$err" >&2; }
[ "$(head -n 1 "$out")" = "lon,lat,distance_m,chainage_m,side,inside" ] || bad "--corridor header"
[ "$(wc -l <"$out")" -eq 3 ] || bad "--corridor rows"
"$truce" measure --corridor nope data/idlib-2020/agreement.geojson </dev/null >/dev/null 2>"$err"
st=$?; [ "$st" -eq 3 ] || bad "unknown corridor: exit $st"
grep -q 'no corridor with id "nope"' "$err" || bad "unknown corridor message"

[ "$fail" -eq 0 ] || exit 1
echo "test_measure: ok"
