#!/bin/sh
# truce timeline: the Idlib timeline is an SVG xmllint accepts, with a bar
# per day with events, the ceasefire and the amendment as marks; a PNG is a
# valid image of the size asked for; a title
# holding markup stays text; usage and I/O errors give the documented exit
# statuses.
# usage: sh test_timeline.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/hostile_events.sh"
agreement=$src/data/idlib-2020/agreement.geojson
events=$src/data/idlib-2020/events.geojson
command -v xmllint >/dev/null || { echo "FAIL: xmllint is missing (libxml2-utils; make setup)" >&2; exit 1; }

status 0 "$truce" timeline --help
grep -q "usage: truce timeline" "$tmp/out" && ok || bad "--help prints no usage"
status 2 "$truce" timeline "$agreement"
status 2 "$truce" timeline --width 5 "$agreement" "$events"
status 4 "$truce" timeline -o "$tmp/x.svg" "$agreement" "$tmp/missing.geojson"
status 3 "$truce" timeline "$src/tests/data/agreements/bad_syntax.json" "$events"
status 4 "$truce" timeline -o "$tmp/no/such/dir.svg" "$agreement" "$events"

status 0 "$truce" timeline -o "$tmp/idlib.svg" "$agreement" "$events"
xmllint --noout "$tmp/idlib.svg" && ok || bad "xmllint rejects the Idlib timeline"
# 36 events on 17 local days (truce stats --by day); the ceasefire and the
# patrol route's start date
days=$(grep -o 'class="tl-day"' "$tmp/idlib.svg" | wc -l)
want=$("$truce" stats --by day "$agreement" "$events" 2>/dev/null | sed -n '/^by day/,$p' | grep -c '^20')
[ "$days" -eq "$want" ] && [ "$days" -gt 0 ] && ok || bad "$days day bars, expected $want"
grep -q 'ceasefire 2020-03-06 00:00' "$tmp/idlib.svg" && ok || bad "no ceasefire mark"
grep -q 'patrol route m4-patrol in force' "$tmp/idlib.svg" && ok || bad "no amendment mark"
grep -q 'local date (Asia/Damascus)' "$tmp/idlib.svg" && ok || bad "no local date axis"
# stdout by default, the same document
"$truce" timeline "$agreement" "$events" 2>/dev/null | cmp -s - "$tmp/idlib.svg" && ok ||
    bad "stdout differs from -o"

# PNG through the map branch's rasteriser, of the size asked for
status 0 "$truce" timeline -o "$tmp/idlib.png" "$agreement" "$events"
info=$(python3 "$src/tests/cli/png_info.py" "$tmp/idlib.png")
case $info in "960 400 "*) ok ;; *) bad "PNG: expected 960 x 400, found '$info'" ;; esac
[ "${info##* }" -gt 16 ] && ok || bad "the PNG has ${info##* } colours: blank?"
status 0 "$truce" timeline --format png --width 1200 --height 300 -o "$tmp/wide.img" "$agreement" "$events"
case $(python3 "$src/tests/cli/png_info.py" "$tmp/wide.img") in "1200 300 "*) ok ;; *) bad "--width/--height PNG size" ;; esac
status 2 "$truce" timeline --format gif -o "$tmp/x.gif" "$agreement" "$events"

# Hostile text: in the title and in the events (which the timeline counts only).
hostile_events "$tmp/hostile.geojson"
status 0 "$truce" timeline --title "<script>alert(\"t\")</script> & 'x'" -o "$tmp/h.svg" \
    "$agreement" "$tmp/hostile.geojson"
xmllint --noout "$tmp/h.svg" && ok || bad "xmllint rejects the hostile timeline"
grep -q '<script' "$tmp/h.svg" && bad "markup from the title in the SVG" || ok
grep -q '&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &#39;x&#39;' "$tmp/h.svg" && ok ||
    bad "the title is not escaped as text"

echo "test_timeline: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
