#!/bin/sh
# truce corridor: the bundled M4 corridor as GeoJSON that GDAL reads without
# warnings, every vertex 6000 +- 0.1 m from the road by truce measure's exact
# distance; usage errors.
# usage: sh test_corridor.sh TRUCE_BINARY SOURCE_DIR
set -u
truce=$1
src=$2
out=$(mktemp)
err=$(mktemp)
pts=$(mktemp)
trap 'rm -f "$out" "$err" "$pts" "$out.geojson" "$out.agr"' EXIT
fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
cd "$src" || exit 1

"$truce" corridor -o "$out.geojson" data/idlib-2020/agreement.geojson 2>"$err"
st=$?
[ "$st" -eq 0 ] || { bad "exit $st"; cat "$err" >&2; }
grep -q '"corridor":"m4"' "$out.geojson" || bad "no m4 feature"
if command -v ogrinfo >/dev/null 2>&1; then
    ogrinfo -al -so "$out.geojson" >"$out" 2>&1 || bad "ogrinfo failed"
    if grep -qiE "warning|error" "$out"; then bad "ogrinfo complains"; cat "$out" >&2; fi
    grep -q "Feature Count: 1" "$out" || bad "ogrinfo feature count"
else
    bad "ogrinfo (gdal-bin) is not installed"
fi
# every vertex, measured exactly
grep -o '\[-\{0,1\}[0-9.]*,-\{0,1\}[0-9.]*\]' "$out.geojson" | tr -d '[]' >"$pts"
n=$(wc -l <"$pts")
[ "$n" -gt 1000 ] || bad "only $n vertices"
"$truce" measure --corridor m4 --input "$pts" data/idlib-2020/agreement.geojson >"$out" 2>"$err" ||
    { bad "measuring the vertices failed"; cat "$err" >&2; }
awk -F, 'NR > 1 { d = $3 - 6000; if (d < 0) d = -d; if (d > m) m = d }
         END { if (m > 0.1) { print "max |distance - 6000| = " m; exit 1 } }' "$out" ||
    bad "a vertex is off the 6 km line"

"$truce" corridor >/dev/null 2>&1; st=$?; [ "$st" -eq 2 ] || bad "no AGREEMENT: exit $st"
"$truce" corridor --tolerance 0 data/idlib-2020/agreement.geojson >/dev/null 2>&1; st=$?
[ "$st" -eq 2 ] || bad "tolerance 0: exit $st"
"$truce" corridor /nonexistent.geojson >/dev/null 2>&1; st=$?; [ "$st" -eq 4 ] || bad "missing: exit $st"
"$truce" corridor --help >"$out" 2>&1; st=$?
[ "$st" -eq 0 ] && grep -q "usage: truce corridor" "$out" || bad "--help"

# Names go through the library's one JSON escaper (json_escape.h): a TAB and
# a line break as \t and \n, not \u0009 and \u000a as the command's own
# escaper wrote them before the writer moved into libtruce.
sed 's/"name": "M4 security corridor"/"name": "M4\\t\\"north\\"\\n\\\\ corridor"/' \
    data/idlib-2020/agreement.geojson >"$out.agr"
"$truce" corridor "$out.agr" >"$out" 2>"$err" || { bad "escaped name: exit $?"; cat "$err" >&2; }
grep -qF '"name":"M4\t\"north\"\n\\ corridor"' "$out" || { bad "escaped name"; grep -o '"name":"[^,]*' "$out" >&2; }

[ "$fail" -eq 0 ] || exit 1
echo "test_corridor: ok"
