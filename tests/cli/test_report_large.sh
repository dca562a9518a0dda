#!/bin/sh
# truce report on a generated file of 100,000 events around Idlib: written
# in well under a minute (bound: 60 s, generous for sanitizer builds; the
# measured time is in docs/performance.md), the file stays bounded, the map
# aggregates markers past its documented count (2,000), the event table
# stops at 2,000 rows and says so, the violations come in pages of 1,000,
# and -- when Chromium is installed -- the page opens in under a minute.
# usage: sh test_report_large.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
agreement=$src/data/idlib-2020/agreement.geojson
check="python3 $src/tests/cli/html_check.py"
rows=100000
now() { date +%s.%N; }

"$gen" --layout acled-2023 --rows $rows --seed 2 -o "$tmp/events.csv" || { echo "FAIL: $gen" >&2; exit 1; }
t0=$(now)
"$truce" report -q -o "$tmp/report.html" "$agreement" "$tmp/events.csv" 2>"$tmp/err"
rc=$?
t1=$(now)
secs=$(echo "$t1 - $t0" | bc)
echo "truce report, $rows events: $secs s, $(wc -c <"$tmp/report.html") bytes"
[ "$rc" -eq 0 ] && ok || { bad "exit $rc"; cat "$tmp/err" >&2; }
[ "$(echo "$secs < 60" | bc)" -eq 1 ] && ok || bad "took $secs s (bound 60 s)"
size=$(wc -c <"$tmp/report.html")
[ "$size" -lt $((32 * 1024 * 1024)) ] && ok || bad "$size bytes (bound 32 MiB)"
# --huge: past 10 MB libxml2 refuses text by default, a guard for untrusted input
xmllint --huge --noout "$tmp/report.html" && ok || bad "not well-formed"

$check "$tmp/report.html" >"$tmp/facts" 2>"$tmp/check.err"
fact() {
    got=$(sed -n "s/^$1 //p" "$tmp/facts")
    [ "$got" = "$2" ] && ok || bad "$1 is '$got', expected '$2'"
}
fact external 0
fact markers 0
fact cluster_events $rows
clusters=$(sed -n 's/^clusters //p' "$tmp/facts")
[ "$clusters" -gt 0 ] && [ "$clusters" -le 2000 ] && ok || bad "$clusters clusters"
fact rows.events 2000
nviol=$(sed -n 's/.*violations \([0-9]*\), possible \([0-9]*\).*/\1 + \2/p' "$tmp/err" | bc)
fact rows.violations "$nviol"
pages=$(grep -c '<details class="page"' "$tmp/report.html")
[ "$pages" -eq $(((nviol + 999) / 1000 + 2)) ] && ok || bad "$pages pages of rows"
grep -q 'the first 2000 events in input order; the other 98000 are left out' "$tmp/report.html" && ok ||
    bad "the event table does not say what it leaves out"
grep -q 'aggregated into [0-9]* grid cells' "$tmp/report.html" && ok || bad "no word of aggregation"

browser=""
for b in chromium chromium-browser google-chrome; do
    [ -z "$browser" ] && command -v "$b" >/dev/null 2>&1 && browser=$b
done
if [ -n "$browser" ]; then
    t0=$(now)
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$tmp/profile" --no-first-run --disable-background-networking \
        --virtual-time-budget=2000 --dump-dom "file://$tmp/report.html" >"$tmp/dom.html" 2>/dev/null
    secs=$(echo "$(now) - $t0" | bc)
    echo "chromium: DOM of the 100,000-event report after its script in $secs s"
    grep -q "rows shown" "$tmp/dom.html" && ok || bad "the page's script did not finish"
    [ "$(echo "$secs < 60" | bc)" -eq 1 ] && ok || bad "chromium took $secs s"
else
    echo "(no chromium: the browser part is left out)"
fi

echo "test_report_large: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
