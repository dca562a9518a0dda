#!/bin/sh
# GET /api/v1/events of truce serve (docs/server.md): pages of `limit`
# events in the order they were stored, the next page's opaque cursor in a
# Link header and (GeoJSON) in "links"; reports stored between two pages
# are neither lost nor given twice; f=jsonl; a reporter lists its own; bad
# parameters are 400 naming them; GDAL's ogrinfo reads a page as a layer.
# usage: sh test_serve_events.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
E=$src/data/idlib-2020/events.geojson
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
reporter=$("$truce" token add --db "$db" --role reporter)
serve_start "$db" "$A" || exit 1

"$truce" events "$E" 2>/dev/null | head -12 >"$tmp/events.jsonl"
post_line() { # LINE-NUMBER TOKEN
    sed -n "$1p" "$tmp/events.jsonl" >"$tmp/one"
    req POST /api/v1/reports "$2" --data-binary @"$tmp/one"
    want 201 "posting event $1"
}
for i in 1 2 3 4 5 6 7; do post_line $i "$admin"; done

# Pages of 3, with two reports stored after the first page was read.
: >"$tmp/seen"
path="/api/v1/events?limit=3"
pages=0
while [ -n "$path" ]; do
    req GET "$path" "$admin"
    want 200 "GET $path"
    grep -qi '^content-type: application/geo+json' "$tmp/headers" && ok || bad "$path: not geo+json"
    python3 -c 'import json,sys; [print(f["id"]) for f in json.load(open(sys.argv[1]))["features"]]' \
        "$tmp/body" >>"$tmp/seen"
    next=$(sed -n 's/^[Ll]ink: <\([^>]*\)>; rel="next".*/\1/p' "$tmp/headers" | tr -d '\r')
    if [ -n "$next" ]; then
        json "b['links'][0]['rel'] == 'next' and b['links'][0]['href'] == '$next'" && ok ||
            bad "links and Link differ"
    fi
    pages=$((pages + 1))
    [ $pages -eq 1 ] && { post_line 8 "$admin"; post_line 9 "$reporter"; }
    path=$next
    [ $pages -gt 10 ] && { bad "pagination does not end"; break; }
done
[ "$(wc -l <"$tmp/seen")" -eq 9 ] && ok || bad "seen $(wc -l <"$tmp/seen") events, expected 9"
[ "$(sort -u "$tmp/seen" | wc -l)" -eq 9 ] && ok || bad "an event was listed twice"
[ $pages -eq 3 ] && ok || bad "$pages pages, expected 3"

# The last page has no next link.
req GET "/api/v1/events?limit=100" "$admin"
json 'len(b["features"]) == 9 and b["links"] == []' && ok || bad "one page of all: $(head -c 200 "$tmp/body")"
! grep -qi '^link:' "$tmp/headers" && ok || bad "a Link header on the last page"
# GDAL reads a page as a layer of points with the record's fields.
if command -v ogrinfo >/dev/null 2>&1; then
    cp "$tmp/body" "$tmp/page.geojson"
    ogrinfo -ro -al -so "$tmp/page.geojson" >"$tmp/ogr" 2>&1
    grep -q "Feature Count: 9" "$tmp/ogr" && grep -q "violation: String" "$tmp/ogr" &&
        grep -q "Geometry: Point" "$tmp/ogr" && ok || bad "ogrinfo: $(cat "$tmp/ogr")"
fi

# JSON Lines: the same records, one per line, the cursor kept in the link.
req GET "/api/v1/events?limit=4&f=jsonl" "$admin"
want 200 "f=jsonl"
[ "$(wc -l <"$tmp/body")" -eq 4 ] && ok || bad "f=jsonl: $(wc -l <"$tmp/body") lines"
grep -qi '^link: </api/v1/events?limit=4&cursor=[^&>]*&f=jsonl>; rel="next"' "$tmp/headers" && ok ||
    bad "f=jsonl: next link"
head -1 "$tmp/body" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); sys.exit(0 if d["status"] == "submitted" and "violation" in d else 1)' &&
    ok || bad "f=jsonl: a line is not a stored event"

# A reporter lists its own reports only.
req GET "/api/v1/events" "$reporter"
json '[f["id"] for f in b["features"]] == ["'"$(sed -n 9p "$tmp/events.jsonl" | sed 's/^{"id":"\([^"]*\)".*/\1/')"'"]' &&
    ok || bad "a reporter's listing: $(head -c 300 "$tmp/body")"

# Bad parameters.
for q in "limit=0" "limit=1001" "limit=x" "cursor=zz" "cursor=e" "cursor=e-1" "f=csv"; do
    req GET "/api/v1/events?$q" "$admin"
    want 400 "?$q"
    json "b['field'] == '${q%%=*}'" && ok || bad "?$q: the problem does not name ${q%%=*}"
done

serve_stop
echo "serve_events: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
