#!/bin/sh
# truce map: the Idlib map (SVG and PNG), a map of hostile event notes, and a
# 100,000-event map aggregated into cells.  Checks structure, not
# coordinates:
#   - xmllint accepts every SVG written;
#   - one <circle class="event ..."> per located event, and the events
#     without a location are counted on stderr;
#   - notes holding <script>, quotes and ampersands come out as text;
#   - each PNG is a PNG of the size asked for (its IHDR chunk);
#   - the 100k map aggregates (cluster counts add up to the located events),
#     stays small and renders within a generous time bound;
#   - --threads 1 and 2 write the same document; usage errors and --help.
# usage: sh test_map.sh TRUCE_BINARY SOURCE_DIR
set -u
truce=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
gen=$(dirname "$truce")/tools/truce-gen-events
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
cd "$src" || exit 1
A=data/idlib-2020/agreement.geojson
E=data/idlib-2020/events.geojson
command -v xmllint >/dev/null 2>&1 || { echo "FAIL: xmllint (libxml2-utils) is not installed" >&2; exit 1; }

# png_size FILE: "WIDTH HEIGHT" from the IHDR chunk (bytes 16..23, big-endian),
# after checking the signature.
png_size() {
    sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
    [ "$sig" = "89504e470d0a1a0a" ] || { echo "not-a-png"; return; }
    od -An -tu1 -j16 -N8 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4,
                                             $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'
}

# ---- the Idlib map ----
"$truce" map -o "$work/idlib.svg" $A $E 2>"$work/err"
st=$?
[ "$st" -eq 0 ] || { bad "idlib map: exit $st"; cat "$work/err" >&2; }
xmllint --noout "$work/idlib.svg" || bad "idlib map: xmllint"
"$truce" classify -f geojson -o "$work/verdicts.geojson" $A $E 2>/dev/null
located=$(grep -o '"geometry":{"type":"Point"' "$work/verdicts.geojson" | wc -l)
unlocated=$(grep -o '"geometry":null' "$work/verdicts.geojson" | wc -l)
markers=$(grep -o '<circle class="event [a-z]*"' "$work/idlib.svg" | wc -l)
[ "$located" -gt 0 ] && [ "$markers" -eq "$located" ] ||
    bad "idlib map: $markers markers for $located located events"
viol=$(grep -o '"violation":"violation"' "$work/verdicts.geojson" | wc -l)
vm=$(grep -o '<circle class="event violation"' "$work/idlib.svg" | wc -l)
[ "$vm" -le "$viol" ] && [ "$vm" -gt 0 ] || bad "idlib map: $vm violation markers, $viol violations"
grep -q "truce map: $unlocated events without a location not drawn" "$work/err" ||
    bad "idlib map: no count of the $unlocated events without a location"
for layer in borders zones corridors roads routes places events legend scale-bar north-arrow title; do
    grep -q "<g class=\"$layer\"" "$work/idlib.svg" || bad "idlib map: no $layer layer"
done
grep -q 'class="place-label"[^>]*>Turumbah<' "$work/idlib.svg" || bad "idlib map: Trumba is not labelled"
grep -q 'Ceasefire 2020-03-06 00:00 Asia/Damascus (UTC+02:00)' "$work/idlib.svg" ||
    bad "idlib map: the ceasefire in local time"
grep -q '<title>country: Syria</title>' "$work/idlib.svg" ||
    bad "idlib map: the borders beside the agreement were not drawn"

# The same document with one thread and with two.
"$truce" map --threads 1 -o "$work/t1.svg" $A $E 2>/dev/null
"$truce" map --threads 2 -o "$work/t2.svg" $A $E 2>/dev/null
cmp -s "$work/t1.svg" "$work/t2.svg" || bad "--threads 1 and 2 differ"
cmp -s "$work/t1.svg" "$work/idlib.svg" || bad "the default and --threads 1 differ"

# From another directory, without borders, with a title.
(cd "$work" && "$truce" map --no-borders --title 'M4 <&> corridor' -o nob.svg "$src/$A" "$src/$E" 2>/dev/null) ||
    bad "--no-borders from another directory"
xmllint --noout "$work/nob.svg" || bad "--no-borders: xmllint"
grep -q 'class="borders"' "$work/nob.svg" && bad "--no-borders drew borders"
grep -q 'M4 &lt;&amp;&gt; corridor' "$work/nob.svg" || bad "--title not escaped"

# PNGs of the size asked for.
for size in 1000x760 640x480 1600x900; do
    "$truce" map --size "$size" -o "$work/idlib-$size.png" $A $E 2>/dev/null || bad "png $size: exit $?"
    got=$(png_size "$work/idlib-$size.png")
    [ "$got" = "$(echo "$size" | tr x ' ')" ] || bad "png $size: IHDR says $got"
done
"$truce" map --format png -o "$work/forced.svg" $A 2>/dev/null
[ "$(png_size "$work/forced.svg")" = "1000 760" ] || bad "--format png"
"$truce" map -o - $A 2>/dev/null | xmllint --noout - || bad "SVG on stdout"

# ---- hostile notes ----
cat >"$work/hostile.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "id": "H<1>", "geometry": {"type": "Point", "coordinates": [36.63, 35.93]},
  "properties": {"date": "2020-03-07", "event_type": "shelling & <b>bold</b>",
   "actor1": "\"Quoted\" <actor>", "fatalities": 2,
   "notes": "<script>alert('x')</script> & \"quotes\" ]]> <!-- -->"}},
 {"type": "Feature", "id": "H2", "geometry": {"type": "Point", "coordinates": [36.70, 35.80]},
  "properties": {"date": "2020-03-08", "event_type": "<svg onload=alert(1)>",
   "notes": "</title><script>x()</script>"}}
]}
EOF
"$truce" map -o "$work/hostile.svg" $A "$work/hostile.geojson" 2>"$work/err" ||
    { bad "hostile map: exit $?"; cat "$work/err" >&2; }
xmllint --noout "$work/hostile.svg" || bad "hostile map: xmllint"
[ "$(grep -o '<circle class="event [a-z]*"' "$work/hostile.svg" | wc -l)" -eq 2 ] || bad "hostile map: markers"
grep -q '<script' "$work/hostile.svg" && bad "hostile map: a <script> element"
grep -q '<svg onload' "$work/hostile.svg" && bad "hostile map: an <svg onload> element"
grep -q '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;' "$work/hostile.svg" ||
    bad "hostile map: the notes are not there as text"
grep -q 'data-id="H&lt;1&gt;"' "$work/hostile.svg" || bad "hostile map: the id is not escaped"
"$truce" map -o "$work/hostile.png" $A "$work/hostile.geojson" 2>/dev/null || bad "hostile png"
[ "$(png_size "$work/hostile.png")" = "1000 760" ] || bad "hostile png size"

# ---- 100,000 generated events ----
if [ -x "$gen" ]; then
    "$gen" --layout acled-2023 --rows 100000 --seed 3 -o "$work/100k.csv" >/dev/null
    t0=$(date +%s)
    "$truce" map -o "$work/100k.svg" $A "$work/100k.csv" 2>"$work/err" ||
        { bad "100k map: exit $?"; cat "$work/err" >&2; }
    "$truce" map -o "$work/100k.png" $A "$work/100k.csv" 2>/dev/null || bad "100k png: exit $?"
    t1=$(date +%s)
    # Both maps, SVG and PNG, in well under a minute each (about a second
    # each on a laptop; sanitizer builds are several times slower).
    [ $((t1 - t0)) -le 90 ] || bad "100k maps took $((t1 - t0)) s"
    xmllint --noout "$work/100k.svg" || bad "100k map: xmllint"
    [ "$(png_size "$work/100k.png")" = "1000 760" ] || bad "100k png size"
    grep -q '<circle class="event ' "$work/100k.svg" && bad "100k map: single markers past the threshold"
    sum=$(grep -o 'class="event-cluster [a-z]*" [^>]*data-count="[0-9]*"' "$work/100k.svg" |
        sed 's/.*data-count="//; s/"//' | awk '{ s += $1 } END { print s + 0 }')
    cells=$(grep -o 'class="event-cell" data-count="[0-9]*"' "$work/100k.svg" |
        sed 's/.*data-count="//; s/"//' | awk '{ s += $1 } END { print s + 0 }')
    n=$(grep -o '<circle class="event-cluster\|<path class="event-cluster' "$work/100k.svg" | wc -l)
    # Every generated event has a location.
    located=100000
    [ "$sum" -eq "$located" ] && [ "$cells" -eq "$located" ] ||
        bad "100k map: clusters hold $sum (cells $cells) of $located events"
    [ "$n" -gt 0 ] && [ "$n" -le 5000 ] || bad "100k map: $n cluster markers"
    [ "$(wc -c <"$work/100k.svg")" -lt 2000000 ] || bad "100k map: $(wc -c <"$work/100k.svg") bytes"
    grep -q "in $n cluster markers" "$work/err" || bad "100k map: summary line"
    # A higher threshold draws every event.
    "$gen" --layout acled-2023 --rows 3000 --seed 4 -o "$work/3k.csv" >/dev/null
    "$truce" map --cluster-above 5000 -o "$work/3k.svg" $A "$work/3k.csv" 2>/dev/null
    [ "$(grep -o '<circle class="event [a-z]*"' "$work/3k.svg" | wc -l)" -eq 3000 ] ||
        bad "--cluster-above 5000: not one marker per event"
else
    bad "no generator at $gen"
fi

# ---- usage and errors ----
"$truce" map $A >/dev/null 2>&1; st=$?; [ "$st" -eq 2 ] || bad "no -o: exit $st"
"$truce" map -o x.svg >/dev/null 2>&1; st=$?; [ "$st" -eq 2 ] || bad "no AGREEMENT: exit $st"
"$truce" map --size 10x10 -o "$work/x.svg" $A >/dev/null 2>&1; st=$?; [ "$st" -eq 2 ] || bad "--size 10x10: exit $st"
"$truce" map --format gif -o "$work/x.svg" $A >/dev/null 2>&1; st=$?; [ "$st" -eq 2 ] || bad "--format gif: exit $st"
"$truce" map --cluster-above -1 -o "$work/x.svg" $A >/dev/null 2>&1; st=$?; [ "$st" -eq 2 ] || bad "--cluster-above -1: exit $st"
"$truce" map -o "$work/x.svg" /nonexistent.geojson >/dev/null 2>&1; st=$?; [ "$st" -eq 4 ] || bad "missing agreement: exit $st"
"$truce" map -o "$work/x.svg" $A /nonexistent.csv >/dev/null 2>&1; st=$?; [ "$st" -eq 4 ] || bad "missing events: exit $st"
"$truce" map --borders "$work/hostile.geojson" -o "$work/x.svg" $A >/dev/null 2>&1; st=$?
[ "$st" -eq 0 ] || bad "borders of points only (skipped with warnings): exit $st"
echo '{"type":' >"$work/broken.geojson"
"$truce" map --borders "$work/broken.geojson" -o "$work/x.svg" $A >/dev/null 2>&1; st=$?
[ "$st" -eq 3 ] || bad "broken borders: exit $st"
"$truce" map -o /nonexistent/dir/x.svg $A >/dev/null 2>&1; st=$?; [ "$st" -eq 4 ] || bad "unwritable svg: exit $st"
"$truce" map -o /nonexistent/dir/x.png $A >/dev/null 2>&1; st=$?; [ "$st" -eq 4 ] || bad "unwritable png: exit $st"
"$truce" map --help >"$work/help" 2>&1; st=$?
[ "$st" -eq 0 ] && grep -q "usage: truce map" "$work/help" || bad "--help"
"$truce" --help | grep -q '^  map ' || bad "map is not in the command list"

[ "$fail" -eq 0 ] || exit 1
echo "test_map: ok"
