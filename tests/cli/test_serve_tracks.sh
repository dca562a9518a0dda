#!/bin/sh
# POST /api/v1/tracks and GET /api/v1/patrols of truce serve
# (docs/server.md): the patrols over the stored GPX files are byte for byte
# what truce patrol --format json gives for the same files; the same file
# twice is stored once; malformed GPX (not XML, a rejected point, no track)
# is 400 naming the line and stores nothing; route, from/to and bin
# parameters; who may.
# usage: sh test_serve_tracks.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
G=$src/tests/data/gpx
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
party=$("$truce" token add --db "$db" --role party --party Russia)
reporter=$("$truce" token add --db "$db" --role reporter)
viewer=$("$truce" token add --db "$db" --role viewer)
cd "$tmp" || exit 1
"$truce" gen-track --spacing 100 -o full.gpx "$A" 2>/dev/null
"$truce" gen-track --spacing 100 --detour 32,42,2000 --stop 10,600 -o detour.gpx "$A" 2>/dev/null
"$truce" gen-track --spacing 100 --turn-back 40 --start 2020-03-14T07:00:00Z -o back.gpx "$A" 2>/dev/null
serve_start "$db" "$A" || exit 1

# post FILE TOKEN
post() { req POST "/api/v1/tracks?name=$1" "$2" --data-binary @"$1"; }

req GET /api/v1/patrols "$viewer"
want 200 "patrols before any track"
json "b['route'] == 'm4-patrol' and b['tracks'] == [] and 'summary' in b" && ok ||
    bad "no tracks: $(head -c 300 "$tmp/body")"

post full.gpx "$admin"
want 201 "full.gpx"
json "b['id'] == 1 and b['tracks'] == 1 and b['points'] > 500 and not b['already_stored']" && ok ||
    bad "full.gpx: $(cat "$tmp/body")"
post detour.gpx "$party"
want 201 "detour.gpx"
post back.gpx "$admin"
want 201 "back.gpx"
post full.gpx "$admin"
want 200 "full.gpx again"
json "b['id'] == 1 and b['already_stored']" && ok || bad "full.gpx again: $(cat "$tmp/body")"

req GET /api/v1/patrols "$viewer"
want 200 "patrols"
"$truce" patrol --format json "$A" full.gpx detour.gpx back.gpx >"$tmp/cli.json" 2>/dev/null
cmp -s "$tmp/body" "$tmp/cli.json" && ok || bad "patrols differ from truce patrol: $(diff "$tmp/body" "$tmp/cli.json" | head -5)"
req GET "/api/v1/patrols?route=m4-patrol&from=2020-03-14&to=2020-03-20&bin=5000" "$viewer"
want 200 "patrols with parameters"
"$truce" patrol --format json --route m4-patrol --from 2020-03-14 --to 2020-03-20 --bin 5000 "$A" \
    full.gpx detour.gpx back.gpx >"$tmp/cli.json" 2>/dev/null
cmp -s "$tmp/body" "$tmp/cli.json" && ok || bad "patrols with parameters differ from truce patrol"
req GET "/api/v1/patrols?route=nowhere" "$viewer"
want 404 "an unknown route"
req GET "/api/v1/patrols?from=2020-03-20&to=2020-03-14" "$viewer"
want 400 "from after to"
req GET "/api/v1/patrols?bin=0" "$viewer"
want 400 "bin 0"

# Malformed: 400 naming the line, nothing stored.
for f in truncated.gpx bad_position.gpx mismatched.gpx doctype.gpx not_gpx.kml; do
    req POST "/api/v1/tracks?name=$f" "$admin" --data-binary @"$G/$f"
    want 400 "$f"
    json "b['field'] == 'body' and (b['detail'].startswith('line ') or '$f' == 'not_gpx.kml')" && ok ||
        bad "$f: $(cat "$tmp/body")"
done
printf '<?xml version="1.0"?>\n<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"></gpx>\n' >empty.gpx
post empty.gpx "$admin"
want 400 "a GPX file without a track"
req POST "/api/v1/tracks?name=a%0Ab" "$admin" --data-binary @full.gpx
want 400 "a name with a line feed"
[ "$(dbq "$db" 'SELECT count(*) FROM tracks')" = 3 ] && ok || bad "a refused track was stored"

# Who may: admin, party, reporter post; a reporter's patrols cover its own tracks.
req POST /api/v1/tracks "" --data-binary @full.gpx
want 401 "no token"
post full.gpx "$viewer"
want 403 "viewer"
"$truce" gen-track --spacing 200 -o mine.gpx "$A" 2>/dev/null
post mine.gpx "$reporter"
want 201 "reporter"
req GET /api/v1/patrols "$reporter"
"$truce" patrol --format json "$A" mine.gpx >"$tmp/cli.json" 2>/dev/null
cmp -s "$tmp/body" "$tmp/cli.json" && ok || bad "a reporter's patrols differ from its own tracks'"

serve_stop
[ "$sstatus" -eq 0 ] && ok || bad "serve exit $sstatus"
echo "test_serve_tracks: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
