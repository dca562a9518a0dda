#!/bin/sh
# Every XML writer goes through the one escaper (src/base/xml_escape.h): a GPX
# track (gen-track --name), a map, a timeline and a report (--title) named
# with the five XML specials, C0 controls, DEL, bytes that are not UTF-8 and
# U+FFFE are well-formed XML (xmllint), and the name's text survives,
# escaped, with U+FFFD where XML cannot hold a character.
# usage: sh test_xml_hostile.sh TRUCE_BINARY SOURCE_DIR
. "$2/tests/cli/lib.sh"
command -v xmllint >/dev/null 2>&1 || { echo "FAIL: xmllint (libxml2-utils) is not installed" >&2; exit 1; }
A=$src/data/idlib-2020/agreement.geojson
E=$src/data/idlib-2020/events.geojson

# <a href="x">O'Neil & co</a>, then ESC, BEL, DEL, a lone 0xFF, a cut
# sequence (0xE2 0x82), an overlong slash (0xC0 0xAF), U+FFFE, and TAB kept.
name=$(printf '<a href="x">O'"'"'Neil & co</a> \033\007\177|\377|\342\202|\300\257|\357\277\276|\tend')
fffd=$(printf '\357\277\275')

status 0 "$truce" gen-track --name "$name" -o "$tmp/h.gpx" "$A"
xmllint --noout "$tmp/h.gpx" && ok || bad "gen-track --name: not well-formed"
grep -qF "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt; $fffd$fffd$fffd|$fffd|$fffd$fffd|$fffd$fffd|$fffd|	end" "$tmp/h.gpx" &&
    ok || bad "gen-track --name: not escaped as xml_escape.h says"
# and the GPX reader takes the file back
status 0 "$truce" track "$tmp/h.gpx"

status 0 "$truce" map --title "$name" -o "$tmp/h.svg" "$A" "$E"
xmllint --noout "$tmp/h.svg" && ok || bad "map --title: not well-formed"
status 0 "$truce" timeline --title "$name" -o "$tmp/t.svg" "$A" "$E"
xmllint --noout "$tmp/t.svg" && ok || bad "timeline --title: not well-formed"
status 0 "$truce" report --title "$name" -o "$tmp/r.html" "$A" "$E"
xmllint --noout "$tmp/r.html" && ok || bad "report --title: not well-formed"

echo "xml hostile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
