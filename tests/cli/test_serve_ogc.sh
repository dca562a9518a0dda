#!/bin/sh
# OGC API - Features of truce serve (docs/server.md, "OGC API - Features"):
# the landing page, conformance, the collections with their extents, items
# paged by next links to the same events as GET /api/v1/events, bbox and
# datetime agreeing with it, the agreement's layers and the stored tracks,
# one item, the errors (400 naming the parameter, 404, 401, 403) and what a
# reporter sees; then GDAL's OAPIF driver (ogrinfo, ogr2ogr) with the token
# in GDAL_HTTP_HEADERS: the layers listed, the events layer read over
# several pages with the same count and attributes as the events API, and
# its spatial and datetime filters sent to the server and agreeing with it.
# usage: sh test_serve_ogc.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
viewer=$("$truce" token add --db "$db" --role viewer)
reporter=$("$truce" token add --db "$db" --role reporter)
serve_start "$db" "$A" || exit 1

"$gen" --layout acled-2023 --rows 80 --scatter 30 --seed 5 -o "$tmp/events.csv"
req POST /api/v1/imports "$admin" --data-binary @"$tmp/events.csv"
want 200 "importing 80 events"
req POST /api/v1/reports "$reporter" -d '{"id":"mine-1","start":"2020-03-07","lon":36.63,"lat":35.93,"event_type":"Battles"}'
want 201 "a reporter's report"
cat >"$tmp/day1.gpx" <<'EOF'
<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>day 1</name><trkseg>
  <trkpt lat="35.8391" lon="36.6108"><time>2020-03-15T07:00:00Z</time></trkpt>
  <trkpt lat="35.8386" lon="36.6206"><time>2020-03-15T07:02:00Z</time></trkpt>
 </trkseg></trk>
</gpx>
EOF
req POST "/api/v1/tracks?name=day1.gpx" "$admin" --data-binary @"$tmp/day1.gpx"
want 201 "a track"

# ---- the landing page, conformance, collections ----
req GET /ogc ""
want 401 "the landing page without a token"
req GET /ogc "$viewer"
want 200 "the landing page"
json "{l['rel']: l['href'] for l in b['links']} == {'self': '$url/ogc', 'service-desc': '$url/api/v1/openapi.json', 'conformance': '$url/ogc/conformance', 'data': '$url/ogc/collections', 'related': '$url/api/v1/events'}" &&
    ok || bad "the landing page's links: $(cat "$tmp/body")"
grep -qi '^content-type: application/json' "$tmp/headers" && ok || bad "the landing page is not application/json"
req GET "/ogc?f=html" "$viewer"
want 400 "the landing page as HTML"
json "b['field'] == 'f'" && ok || bad "f=html: the problem does not name f"
req GET /ogc/conformance "$viewer"
want 200 "conformance"
json "set(b['conformsTo']) == {'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core', 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson'}" &&
    ok || bad "conformance: $(cat "$tmp/body")"

req GET /ogc/collections "$viewer"
want 200 "the collections"
cp "$tmp/body" "$tmp/collections.json"
req GET "/api/v1/events?limit=1000" "$viewer"
cp "$tmp/body" "$tmp/all.json"
python3 - "$tmp/collections.json" "$tmp/all.json" "$url" <<'EOF' && ok || bad "the collections' descriptions (above)"
import json, sys
c = json.load(open(sys.argv[1])); events = json.load(open(sys.argv[2]))["features"]; url = sys.argv[3]
ids = [x["id"] for x in c["collections"]]
assert ids == ["events", "zones", "corridors", "patrol_routes", "tracks"], ids
for x in c["collections"]:
    links = {(l["rel"], l["type"]): l["href"] for l in x["links"]}
    assert links[("items", "application/geo+json")] == f"{url}/ogc/collections/{x['id']}/items", links
    assert x["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
    box = x["extent"]["spatial"]["bbox"][0]
    assert box[0] <= box[2] and box[1] <= box[3], (x["id"], box)
ev = c["collections"][0]["extent"]
box = ev["spatial"]["bbox"][0]
lons = [f["geometry"]["coordinates"][0] for f in events if f["geometry"]]
lats = [f["geometry"]["coordinates"][1] for f in events if f["geometry"]]
assert (box[0], box[1], box[2], box[3]) == (min(lons), min(lats), max(lons), max(lats)), (box, min(lons), max(lons))
starts = sorted(f["properties"]["start"] for f in events)
assert ev["temporal"]["interval"] == [[starts[0], starts[-1]]], (ev["temporal"], starts[0], starts[-1])
EOF
req GET /ogc/collections/zones "$viewer"
want 200 "one collection"
json "b['id'] == 'zones' and b['itemType'] == 'feature'" && ok || bad "the zones collection: $(cat "$tmp/body")"
req GET /ogc/collections/ceasefires "$viewer"
want 404 "an unknown collection"
req GET /ogc/collections/ceasefires/items "$viewer"
want 404 "the items of an unknown collection"

# ---- events: pages, next links, the same events as the events API ----
# pages URL TOKEN [CURL-OPTION...]: follow next links from URL, the features'
# ids (one a line) to $tmp/ids, the pages' numberReturned and numberMatched
# to $tmp/counts, each page's Content-Type to $tmp/types.
pages() {
    _next=$1; _tok=$2; shift 2
    : >"$tmp/ids"; : >"$tmp/counts"; : >"$tmp/types"
    _n=0
    while [ -n "$_next" ] && [ $_n -lt 100 ]; do
        code=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -H "Authorization: Bearer $_tok" "$@" "$_next")
        [ "$code" = 200 ] || { bad "page $_next: status $code $(head -c 300 "$tmp/body")"; return; }
        sed -n 's/^[Cc]ontent-[Tt]ype: \([^;\r]*\).*/\1/p' "$tmp/headers" >>"$tmp/types"
        _next=$(python3 - "$tmp/body" "$tmp/ids" "$tmp/counts" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))
with open(sys.argv[2], "a") as out:
    for f in b["features"]:
        out.write(f["id"] + "\n")
with open(sys.argv[3], "a") as out:
    out.write(f"{b['numberReturned']} {b.get('numberMatched', '-')} {len(b['features'])}\n")
nxt = [l["href"] for l in b["links"] if l["rel"] == "next"]
print(nxt[0] if nxt else "")
EOF
        )
        _n=$((_n + 1))
    done
}
api_ids() { # QUERY: the ids GET /api/v1/events?QUERY lists (one page of 1000)
    curl -s -H "Authorization: Bearer $viewer" "$url/api/v1/events?limit=1000&$1" |
        python3 -c 'import json,sys; [print(f["id"]) for f in json.load(sys.stdin)["features"]]'
}

api_ids "" >"$tmp/want"
[ "$(wc -l <"$tmp/want")" -eq 81 ] && ok || bad "the events API lists $(wc -l <"$tmp/want") events, expected 81"
pages "$url/ogc/collections/events/items?limit=7" "$viewer"
cmp -s "$tmp/ids" "$tmp/want" && ok || bad "the items in pages of 7 are not the events API's listing"
[ "$(wc -l <"$tmp/counts")" -eq 12 ] && ok || bad "$(wc -l <"$tmp/counts") pages of 7 for 81 events"
[ "$(head -n 1 "$tmp/counts")" = "7 81 7" ] && ok || bad "the first page's counts: $(head -n 1 "$tmp/counts")"
[ "$(sed -n 2p "$tmp/counts")" = "7 - 7" ] && ok || bad "numberMatched on a later page: $(sed -n 2p "$tmp/counts")"
[ "$(tail -n 1 "$tmp/counts")" = "4 - 4" ] && ok || bad "the last page's counts: $(tail -n 1 "$tmp/counts")"
[ "$(sort -u "$tmp/types")" = "application/geo+json" ] && ok || bad "items types: $(sort -u "$tmp/types")"
req GET "/ogc/collections/events/items?limit=1000" "$viewer"
python3 -c "
import json, sys
o = json.load(open('$tmp/body')); a = json.load(open('$tmp/all.json'))
assert o['features'] == a['features'], 'features differ'
assert o['numberReturned'] == 81 and o['numberMatched'] == 81 and o['timeStamp'].endswith('Z')
" && ok || bad "the items are not the events API's features"
pages "$url/ogc/collections/events/items?limit=30&f=json" "$viewer"
[ "$(sort -u "$tmp/types")" = "application/json" ] && [ "$(wc -l <"$tmp/types")" -eq 3 ] &&
    ok || bad "f=json, its next pages: $(cat "$tmp/types")"
json "[l['href'].endswith('&f=json') for l in b['links']] == [True]" && ok || bad "f=json: the last page's self link: $(cat "$tmp/body")"
req GET "/ogc/collections/events/items?limit=2" "$viewer" -H "Accept: application/json"
grep -qi '^content-type: application/json' "$tmp/headers" && ok || bad "Accept: application/json is not application/json"
req GET "/ogc/collections/events/items?limit=2" "$viewer" -H "Accept: application/geo+json, application/json"
grep -qi '^content-type: application/geo+json' "$tmp/headers" && ok || bad "GDAL's Accept is not application/geo+json"
grep -qi '^link: <http.*rel="next"' "$tmp/headers" && ok || bad "no Link header to the next page"
req GET "/ogc/collections/events/items?limit=5000" "$viewer"
want 200 "a limit over the maximum"
json "b['numberReturned'] == 81" && ok || bad "limit=5000 is not taken as 1000"

# A page is stable under inserts: a report stored after the first page of
# a listing comes at its end.
req GET "/ogc/collections/events/items?limit=40" "$viewer"
next=$(python3 -c "import json; print([l['href'] for l in json.load(open('$tmp/body'))['links'] if l['rel'] == 'next'][0])")
req POST /api/v1/reports "$admin" -d '{"id":"late-1","start":"2020-03-08","lon":36.6,"lat":35.85,"event_type":"Battles"}'
want 201 "a report between pages"
pages "$next" "$viewer"
{ sed -n '41,81p' "$tmp/want"; echo late-1; } >"$tmp/want2"
cmp -s "$tmp/ids" "$tmp/want2" && ok || bad "the pages after an insert are not the rest and the new report"
api_ids "" >"$tmp/want"

# bbox and datetime: the same events as the events API's bbox, from and to.
check_filter() { # OGC-QUERY API-QUERY
    pages "$url/ogc/collections/events/items?limit=25&$1" "$viewer"
    api_ids "$2" >"$tmp/want-f"
    if cmp -s "$tmp/ids" "$tmp/want-f" && [ -s "$tmp/ids" ]; then ok; else
        bad "items?$1 ($(wc -l <"$tmp/ids")) differ from events?$2 ($(wc -l <"$tmp/want-f"))"; fi
}
check_filter "bbox=36.4,35.7,36.9,36.0" "bbox=36.4,35.7,36.9,36.0"
check_filter "bbox=36.4,35.7,-10,36.9,36.0,10" "bbox=36.4,35.7,36.9,36.0"
check_filter "datetime=2020-03-06T00:00:00Z/2020-04-15T00:00:00Z" "from=2020-03-06T00:00:00Z&to=2020-04-15T00:00:00Z"
check_filter "datetime=2020-03-06T00:00:00Z/.." "from=2020-03-06T00:00:00Z"
check_filter "datetime=../2020-03-06T00:00:00Z" "to=2020-03-06T00:00:00Z"
check_filter "datetime=2020-03-06/2020-04-15&bbox=36.4,35.7,36.9,36.0&violation=yes,possible" "from=2020-03-06&to=2020-04-15&bbox=36.4,35.7,36.9,36.0&violation=yes,possible"
first_start=$(python3 -c "import json; print(json.load(open('$tmp/all.json'))['features'][0]['properties']['start'])")
check_filter "datetime=$first_start" "from=$first_start&to=$first_start"
[ "$(head -n 1 "$tmp/counts" | cut -d' ' -f2)" = "-" ] && ok || bad "numberMatched given with a filter"

bad_param() { # QUERY FIELD WHAT
    req GET "/ogc/collections/events/items?$1" "$viewer"
    want 400 "$3"
    json "b['field'] == '$2'" && ok || bad "$3: the problem does not name $2: $(cat "$tmp/body")"
}
bad_param "bbox=1,2,3" bbox "a bbox of three numbers"
bad_param "bbox=1,50,3,40" bbox "a bbox with minlat > maxlat"
bad_param "datetime=yesterday" datetime "a datetime that is not one"
bad_param "datetime=2020-04-01/2020-03-01" datetime "an interval that ends before it starts"
bad_param "from=2020-03-01&datetime=2020-03-01" datetime "datetime with from"
bad_param "limit=0" limit "limit 0"
bad_param "limit=ten" limit "a limit that is not a number"
bad_param "cursor=e12.0000000000000000" cursor "a cursor not given here"
bad_param "crs=EPSG:4326" crs "an unknown parameter"
bad_param "f=html" f "items as HTML"

# ---- one event ----
req GET /ogc/collections/events/items/mine-1 "$viewer"
want 200 "one event"
json "b['type'] == 'Feature' and b['id'] == 'mine-1' and b['geometry']['coordinates'] == [36.63, 35.93] and b['properties']['status'] == 'submitted' and 'reviews' in b['properties']" &&
    ok || bad "one event: $(head -c 300 "$tmp/body")"
grep -qi '^content-type: application/geo+json' "$tmp/headers" && ok || bad "one event is not application/geo+json"
req GET /ogc/collections/events/items/no-such "$viewer"
want 404 "an unknown event"
req GET /ogc/collections/events/items/mine-1 ""
want 401 "one event without a token"

# ---- a reporter sees its own ----
pages "$url/ogc/collections/events/items?limit=10" "$reporter"
[ "$(cat "$tmp/ids")" = "mine-1" ] && ok || bad "a reporter's items: $(cat "$tmp/ids")"
[ "$(cat "$tmp/counts")" = "1 1 1" ] && ok || bad "a reporter's counts: $(cat "$tmp/counts")"
req GET /ogc/collections/events "$reporter"
json "b['extent']['spatial']['bbox'] == [[36.63, 35.93, 36.63, 35.93]]" && ok || bad "a reporter's extent: $(cat "$tmp/body")"
other=$(head -n 1 "$tmp/want")
req GET "/ogc/collections/events/items/$other" "$reporter"
want 403 "a reporter reading another's event"
pages "$url/ogc/collections/tracks/items" "$reporter"
[ ! -s "$tmp/ids" ] && ok || bad "a reporter sees another's tracks: $(cat "$tmp/ids")"

# ---- the agreement's layers and the tracks ----
layer_ids() { # COLLECTION QUERY: the ids of its items
    pages "$url/ogc/collections/$1/items?limit=1&$2" "$viewer"
    tr '\n' ' ' <"$tmp/ids"
}
[ "$(layer_ids zones "")" = "idlib-area " ] && ok || bad "zones: $(layer_ids zones "")"
[ "$(layer_ids corridors "")" = "m4 " ] && ok || bad "corridors: $(layer_ids corridors "")"
[ "$(layer_ids patrol_routes "")" = "m4-patrol " ] && ok || bad "patrol routes: $(layer_ids patrol_routes "")"
[ "$(layer_ids tracks "")" = "1-1 " ] && ok || bad "tracks: $(layer_ids tracks "")"
[ "$(layer_ids corridors "bbox=10,10,11,11")" = "" ] && ok || bad "a corridor outside the box"
[ "$(layer_ids patrol_routes "datetime=../2020-03-01T00:00:00Z")" = "" ] && ok || bad "a route before its start"
[ "$(layer_ids patrol_routes "datetime=2020-03-20T00:00:00Z")" = "m4-patrol " ] && ok || bad "a route in force"
[ "$(layer_ids tracks "datetime=2020-03-15T07:01:00Z&bbox=36.6,35.8,36.7,35.9")" = "1-1 " ] && ok || bad "a track at its time and place"
[ "$(layer_ids tracks "datetime=2020-03-16T00:00:00Z/..")" = "" ] && ok || bad "a track after its end"
req GET "/ogc/collections/zones/items?violation=yes" "$viewer"
want 400 "an events' filter on zones"
json "b['field'] == 'violation'" && ok || bad "violation on zones: the problem does not name it"
req GET /ogc/collections/corridors/items/m4 "$viewer"
want 200 "one corridor"
cp "$tmp/body" "$tmp/m4.json"
req GET /api/v1/corridors/m4 "$viewer"
python3 -c "import json; assert json.load(open('$tmp/m4.json')) == json.load(open('$tmp/body'))" &&
    ok || bad "the corridor item is not GET /api/v1/corridors/m4"
req GET /ogc/collections/tracks/items/1-1 "$viewer"
want 200 "one track"
json "b['geometry']['type'] == 'LineString' and b['properties']['file'] == 'day1.gpx'" && ok || bad "one track: $(cat "$tmp/body")"
req GET /ogc/collections/tracks/items/9-1 "$viewer"
want 404 "an unknown track"
req GET /ogc/collections/zones/items/nowhere "$viewer"
want 404 "an unknown zone"

# ---- GDAL's OAPIF driver ----
if ! command -v ogrinfo >/dev/null 2>&1; then
    echo "serve_ogc: ogrinfo not installed (gdal-bin, scripts/packages.txt): GDAL checks skipped"
else
    export GDAL_HTTP_HEADERS="Authorization: Bearer $viewer"
    export GDAL_HTTP_TIMEOUT=20
    ogrinfo -ro -q "OAPIF:$url/ogc" >"$tmp/layers" 2>"$tmp/gdal.err"
    for layer in events zones corridors patrol_routes tracks; do
        grep -q "^[0-9]*: $layer " "$tmp/layers" && ok || bad "ogrinfo does not list $layer: $(cat "$tmp/layers" "$tmp/gdal.err")"
    done
    ogrinfo -ro -so "OAPIF:$url/ogc" events >"$tmp/summary" 2>"$tmp/gdal.err"
    grep -q "^Feature Count: 82$" "$tmp/summary" && ok || bad "ogrinfo's feature count: $(grep -i count "$tmp/summary") $(cat "$tmp/gdal.err")"
    # The whole layer, as GDAL pages through it (10 a page by default).
    before=$(grep -c '"path":"/ogc/collections/events/items"' "$tmp/serve.log")
    ogr2ogr -f GeoJSON "$tmp/gdal.geojson" "OAPIF:$url/ogc" events 2>"$tmp/gdal.err"
    after=$(grep -c '"path":"/ogc/collections/events/items"' "$tmp/serve.log")
    [ $((after - before)) -ge 9 ] && ok || bad "GDAL read the layer in $((after - before)) requests, expected pages of 10"
    curl -s -H "Authorization: Bearer $viewer" "$url/api/v1/events?limit=1000" >"$tmp/all.json"
    python3 - "$tmp/gdal.geojson" "$tmp/all.json" <<'EOF' && ok || bad "GDAL's events differ from the events API's (above)"
import json, sys
from datetime import datetime
g = json.load(open(sys.argv[1]))["features"]; a = json.load(open(sys.argv[2]))["features"]
assert len(g) == len(a) == 82, (len(g), len(a))
def same(x, y):
    if isinstance(y, str) and isinstance(x, str) and len(y) >= 19 and y[4] == "-" and y[10] == "T":
        # GDAL keeps milliseconds.
        norm = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00").replace("/", "-"))
        return abs((norm(x) - norm(y)).total_seconds()) < 0.001
    if isinstance(y, (dict, list)) and isinstance(x, str):
        return json.loads(x) == y
    return x == y or (isinstance(x, float) and isinstance(y, (int, float)) and abs(x - y) < 1e-9)
for f, e in zip(g, a):
    p, q = f["properties"], e["properties"]
    assert set(p) == set(q), set(p) ^ set(q)
    for k in q:
        assert same(p[k], q[k]), (e["id"], k, p[k], q[k])
    assert f["geometry"]["coordinates"] == e["geometry"]["coordinates"], e["id"]
EOF
    # A spatial and an attribute filter on the start's datetime go to the
    # server as bbox and datetime; what comes back is the events API's.
    CPL_CURL_VERBOSE=YES ogr2ogr -f GeoJSON "$tmp/gdal-f.geojson" "OAPIF:$url/ogc" events \
        -spat 36.4 35.7 36.9 36.0 \
        -where "start >= '2020-03-06T00:00:00Z' AND start <= '2020-04-15T00:00:00Z'" 2>"$tmp/gdal.err"
    grep -q '^> GET /ogc/collections/events/items?limit=10&bbox=36\.[34][0-9]*,35\.[67][0-9]*,36\.[89][0-9]*,36[0-9.]*&datetime=2020-03-06T00:00:00Z%2F2020-04-15T00:00:00Z' "$tmp/gdal.err" &&
        ok || bad "GDAL did not send bbox and datetime: $(grep '^> GET' "$tmp/gdal.err")"
    api_ids "bbox=36.4,35.7,36.9,36.0&from=2020-03-06T00:00:00Z&to=2020-04-15T00:00:00Z" >"$tmp/want-f"
    python3 -c "import json; [print(f['properties']['id']) for f in json.load(open('$tmp/gdal-f.geojson'))['features']]" >"$tmp/got-f"
    if cmp -s "$tmp/got-f" "$tmp/want-f" && [ -s "$tmp/want-f" ]; then ok; else
        bad "GDAL's filtered layer ($(wc -l <"$tmp/got-f")) differs from the events API's ($(wc -l <"$tmp/want-f"))"; fi
    # Another token's view: a reporter's layer holds its report.
    GDAL_HTTP_HEADERS="Authorization: Bearer $reporter" ogrinfo -ro -so "OAPIF:$url/ogc" events >"$tmp/summary" 2>&1
    grep -q "^Feature Count: 1$" "$tmp/summary" && ok || bad "a reporter's layer: $(grep -i count "$tmp/summary")"
    GDAL_HTTP_HEADERS="Authorization: Bearer nope" ogrinfo -ro -q "OAPIF:$url/ogc" >"$tmp/layers" 2>&1
    grep -q "events" "$tmp/layers" && bad "a bad token lists layers" || ok
fi

serve_stop
[ "$sstatus" -eq 0 ] && ok || bad "truce serve exited $sstatus"
echo "serve_ogc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
