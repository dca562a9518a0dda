#!/bin/sh
# truce report: the Idlib report is one page that is well-formed XML
# (xmllint, inline SVG included) and HTML, refers to nothing outside itself,
# carries a CSP that forbids loads, lists every violation and event, shows
# the same numbers as truce stats, draws a marker per located event, judges
# patrols given with --tracks; text holding markup stays text in the report,
# the timeline and the map; --max-event-rows caps the event table and says
# so; usage and I/O errors give the documented exit statuses.
# usage: sh test_report.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/hostile_events.sh"
agreement=$src/data/idlib-2020/agreement.geojson
events=$src/data/idlib-2020/events.geojson
check="python3 $src/tests/cli/html_check.py"
command -v xmllint >/dev/null || { echo "FAIL: xmllint is missing (libxml2-utils; make setup)" >&2; exit 1; }

# fact FILE KEY WANT: a line of html_check.py
fact() {
    got=$($check "$1" 2>"$tmp/check.err" | sed -n "s/^$2 //p")
    [ "$got" = "$3" ] && ok || { bad "$1: $2 is '$got', expected '$3'"; cat "$tmp/check.err" >&2; }
}
# wellformed FILE: xmllint as XML, and as HTML with only HTML5/SVG tag names
# (unknown to libxml2's HTML 4 parser) to complain about
wellformed() {
    xmllint --noout "$1" && ok || bad "$1: not well-formed XML"
    xmllint --html --noout "$1" 2>&1 | grep 'error' | grep -v 'Tag [a-zA-Z]* invalid' >"$tmp/html.err"
    [ -s "$tmp/html.err" ] && { bad "$1: xmllint --html"; cat "$tmp/html.err" >&2; } || ok
}

status 0 "$truce" report --help
grep -q "usage: truce report" "$tmp/out" && ok || bad "--help prints no usage"
status 2 "$truce" report "$agreement"
status 2 "$truce" report --max-event-rows x "$agreement" "$events"
status 2 "$truce" report "$agreement" "$events" --tracks
status 4 "$truce" report -o "$tmp/x.html" "$agreement" "$tmp/missing.geojson"
status 3 "$truce" report -o "$tmp/x.html" "$src/tests/data/agreements/bad_syntax.json" "$events"
status 3 "$truce" report -o "$tmp/x.html" --route nope "$agreement" "$events"
status 4 "$truce" report -o "$tmp/no/such/dir.html" "$agreement" "$events"

# The Idlib report.
"$truce" gen-track --detour 32,42,2000 -o "$tmp/patrol.gpx" "$agreement" 2>/dev/null
status 0 "$truce" report -o "$tmp/idlib.html" "$agreement" "$events" --tracks "$tmp/patrol.gpx"
r=$tmp/idlib.html
wellformed "$r"
fact "$r" scripts 1
fact "$r" external 0
fact "$r" csp 1
fact "$r" script_csp 1
grep -q '^<!DOCTYPE html>' "$r" && ok || bad "no HTML5 doctype"
# Nothing but the SVG namespaces names a URL in markup (sources cite URLs as text).
$check --text "$r" >"$tmp/text"
grep -o '[a-z]*://[^ "<]*' "$r" | sort -u >"$tmp/urls"
grep -o '[a-z]*://[^ "<]*' "$tmp/text" | sort -u >"$tmp/text-urls"
comm -23 "$tmp/urls" "$tmp/text-urls" | grep -v '^http://www.w3.org/\(2000/svg\|1999/xlink\)$' >"$tmp/markup-urls"
[ -s "$tmp/markup-urls" ] && { bad "URLs in markup:"; cat "$tmp/markup-urls" >&2; } || ok
grep -qi 'src=' "$r" && bad "src= in the page" || ok
# every event, every violation and possible violation; one marker per located event
geocoded=$(python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["features"] if f.get("geometry")))' "$events")
fact "$r" markers "$geocoded"
fact "$r" rows.events 36
fact "$r" rows.violations 19
fact "$r" rows.patrols 1
grep -q 'km 32.000&#8211;42.000' "$r" && ok || bad "the patrol's detour gap is not listed"
# Patrols across tracks, as truce patrol sums them up: three days of patrols
# (the whole route on 15 March, a turn-back at km 40 on the 16th, a detour
# on the 18th), none on the 17th.
"$truce" gen-track --name "15 March" --start 2020-03-15T07:00:00Z -o "$tmp/mar15.gpx" "$agreement" 2>/dev/null
"$truce" gen-track --name "16 March" --start 2020-03-16T07:00:00Z --turn-back 40 \
    -o "$tmp/mar16.gpx" "$agreement" 2>/dev/null
"$truce" gen-track --name "<b>18 March</b>" --start 2020-03-18T07:00:00Z --detour 32,42,2000 \
    -o "$tmp/mar18.gpx" "$agreement" 2>/dev/null
status 0 "$truce" report -o "$tmp/week.html" "$agreement" "$events" \
    --tracks "$tmp/mar15.gpx" "$tmp/mar16.gpx" "$tmp/mar18.gpx"
w=$tmp/week.html
wellformed "$w"
fact "$w" rows.patrols 3
grep -q '<dt>period</dt><dd>2020-03-15 to 2020-03-18 (local dates), 4 days</dd>' "$w" && ok ||
    bad "the patrol summary's period is not 15 to 18 March"
grep -q '<dt>days without a patrol</dt><dd>1: <span class="days-without">2020-03-17</span></dd>' "$w" &&
    ok || bad "2020-03-17 is not listed as a day without a patrol"
grep -q '<dt>patrol days</dt><dd>3 of 4</dd>' "$w" && ok || bad "patrol days are not 3 of 4"
grep -q '&lt;b&gt;18 March&lt;/b&gt;' "$w" && ok || bad "a track's name is not escaped"
# The bins merged as truce patrol merges them: the same rows, the same numbers.
"$truce" patrol "$agreement" "$tmp/mar15.gpx" "$tmp/mar16.gpx" "$tmp/mar18.gpx" 2>/dev/null |
    sed -n '/^summary/,$p' | sed -n 's/^    km *\([0-9.]*\) to *\([0-9.]*\) */\1 \2 /p' | tr -s ' ' >"$tmp/patrol-bins"
sed -n '/<section id="patrol-summary">/,/<\/section>/p' "$w" | grep '^<tr><td class="num">' |
    sed 's/<[^>]*>/ /g' | tr -s ' ' | sed 's/^ //; s/ $//' >"$tmp/report-bins"
[ "$(wc -l <"$tmp/report-bins")" -eq 4 ] && cmp -s "$tmp/patrol-bins" "$tmp/report-bins" && ok ||
    { bad "the report's bins differ from truce patrol's"; diff "$tmp/patrol-bins" "$tmp/report-bins" >&2; }
fact "$r" rows.patrol-summary 3
# the numbers of truce stats, line for line
"$truce" stats "$agreement" "$events" >"$tmp/stats" 2>/dev/null
for key in window events hostile 'rate ratio' 'last violation' fatalities; do
    line=$(grep "^$key " "$tmp/stats" | sed "s/^$key *//")
    grep -qF "<dd>$line" "$r" && ok || bad "stats '$key' line '$line' not in the report"
done
grep '^20[0-9-]* ' "$tmp/stats" | tr -s ' ' >"$tmp/stats-days"
grep '^<tr><td>20[0-9-]*</td><td class="num">' "$r" | sed 's/<[^>]*>/ /g' | tr -s ' ' |
    sed 's/^ //; s/ $//' >"$tmp/report-days"
[ -s "$tmp/stats-days" ] && cmp -s "$tmp/stats-days" "$tmp/report-days" && ok ||
    { bad "per-day statistics differ from truce stats"; diff "$tmp/stats-days" "$tmp/report-days" | head >&2; }
grep -q 'Bundled Idlib 2020 data' "$r" && ok || bad "no credit for the bundled data"
grep -q "Made by truce $("$truce" --version | cut -d' ' -f2)" "$r" && ok || bad "no truce version"

# Reproducible with SOURCE_DATE_EPOCH.
SOURCE_DATE_EPOCH=0 "$truce" report -o "$tmp/a.html" "$agreement" "$events" 2>/dev/null
SOURCE_DATE_EPOCH=0 "$truce" report "$agreement" "$events" 2>/dev/null >"$tmp/b.html"
cmp -s "$tmp/a.html" "$tmp/b.html" && ok || bad "two runs differ"
grep -q 'on 1970-01-01T00:00:00Z' "$tmp/a.html" && ok || bad "SOURCE_DATE_EPOCH not used"

# A capped event table says what it leaves out.
status 0 "$truce" report --max-event-rows 5 -o "$tmp/cap.html" "$agreement" "$events"
fact "$tmp/cap.html" rows.events 5
fact "$tmp/cap.html" rows.violations 19
grep -q 'the first 5 events in input order; the other 31 are left out' "$tmp/cap.html" && ok ||
    bad "the capped table does not say what it leaves out"

status 0 "$truce" report --max-event-rows 35 -o "$tmp/cap1.html" "$agreement" "$events"
grep -q 'the first 35 events in input order; the other one is left out' "$tmp/cap1.html" && ok ||
    bad "a table capped one short does not say 'the other one is left out'"

# Hostile text: the report, the timeline and the map keep it as text.
hostile_events "$tmp/hostile.geojson"
status 0 "$truce" report --title '<script>alert("title")</script> & co' -o "$tmp/h.html" \
    "$agreement" "$tmp/hostile.geojson"
h=$tmp/h.html
wellformed "$h"
fact "$h" scripts 1
fact "$h" external 0
$check --text "$h" >"$tmp/htext"
for s in '<script>alert(1)</script>' '"Quoted" & <b>bold</b> place' \
    "</td></tr><script>alert('x')</script> &amp; & \" ' done" '<a href="javascript:alert(3)">source</a>' \
    '<style>body{display:none}</style>' 'A</script><script>alert(4)</script>' \
    'e2&amp;<!-- -->' '<script>alert("title")</script> & co'; do
    grep -qF -- "$s" "$tmp/htext" && ok || bad "report: '$s' is not in the page's text"
done
grep -c '<script' "$h" | grep -qx 1 && ok || bad "report: a <script tag from input"
grep -q '<img\|<b>bold\|<style>body\|<a href="javascript' "$h" && bad "report: markup from input" || ok
status 0 "$truce" timeline -o "$tmp/h.svg" "$agreement" "$tmp/hostile.geojson"
xmllint --noout "$tmp/h.svg" && ok || bad "timeline: not well-formed"
status 0 "$truce" map -o "$tmp/hmap.svg" "$agreement" "$tmp/hostile.geojson"
xmllint --noout "$tmp/hmap.svg" && ok || bad "map: not well-formed"
grep -q '<script\|<img\|<b>bold\|<style>body' "$tmp/hmap.svg" && bad "map: markup from input" || ok
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/hmap.svg" && ok || bad "map: the id is not escaped text"

echo "test_report: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
