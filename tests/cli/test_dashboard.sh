#!/bin/sh
# The dashboard of truce serve: its files answer without a token, with a
# strict Content-Security-Policy; its data routes (me, queue, grid, the
# agreement's features) need one; and in headless Chromium, driven over
# the DevTools protocol (dashboard_check.py, cdp.py), a party signs in,
# sees a marker per located event, sees a report posted through the API
# arrive on the map and in its queue within 2 s, sees its likely duplicate
# linked in its panel, confirms it from the page;
# a viewer gets no review buttons; no console error, no request leaves
# 127.0.0.1.  Exits 77 (ctest: skipped) only when no Chromium is
# installed; scripts/packages.txt lists it.
# usage: sh test_dashboard.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
need_browser
A=$src/data/idlib-2020/agreement.geojson
db=$tmp/truce.db
admin=$("$truce" token add --db "$db" --role admin --name ops) || bad "token add"
party=$("$truce" token add --db "$db" --role party --party Turkey)
viewer=$("$truce" token add --db "$db" --role viewer)
serve_start "$db" "$A" || exit 1
trap 'kill $spid 2>/dev/null; rm -rf "$tmp"' EXIT

req POST /api/v1/imports "$admin" --data-binary @"$src/data/idlib-2020/events.geojson"
want 200 "import the bundled events"

# The page and its files: no token, a CSP without inline script.
for path in / /assets/dashboard.js /assets/sse.js /assets/dashboard.css \
    /assets/leaflet.min.js /assets/leaflet.markercluster.min.js /assets/borders.geojson; do
    req GET "$path" ""
    want 200 "GET $path without a token"
    grep -qi "^Content-Security-Policy: default-src 'self';" "$tmp/headers" && ok ||
        bad "$path: no strict Content-Security-Policy"
    grep -qi "unsafe-inline\|unsafe-eval" "$tmp/headers" && bad "$path: CSP allows inline code" || ok
done
req GET / ""
grep -q '<script>' "$tmp/body" && bad "inline script in the page" || ok
grep -q 'https\?://' "$tmp/body" && bad "the page names another host" || ok
req GET /assets/nothing.js ""
want 404 "an unknown file"

# Every piece of data needs a token.
for path in /api/v1/me /api/v1/queue "/api/v1/grid?bbox=35,34,39,37.5&cell=0.5" \
    "/api/v1/agreement?f=geojson"; do
    req GET "$path" ""
    want 401 "GET $path without a token"
done
req GET /api/v1/me "$party"
want 200 "GET /api/v1/me"
json 'b["role"] == "party" and b["party"] == "Turkey" and b["parties"] == ["Russia", "Turkey"]' &&
    ok || bad "me: $(cat "$tmp/body")"
req GET "/api/v1/agreement?f=geojson" "$viewer"
want 200 "the agreement's features"
cmp -s "$tmp/body" "$A" && ok || bad "the agreement's features are not the file served"
req GET "/api/v1/grid?bbox=35,34,39,37.5&cell=0.5" "$viewer"
want 200 "the grid"
located=$(python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["features"] if f.get("geometry")))' \
    "$src/data/idlib-2020/events.geojson")
json "b['total'] == $located == sum(f['properties']['count'] for f in b['features'])" && ok ||
    bad "grid total is not $located: $(head -c 300 "$tmp/body")"
req GET "/api/v1/grid?bbox=35,34,39,37.5&cell=0.0001" "$viewer"
want 400 "a grid of too many cells"
json 'b["field"] == "cell"' && ok || bad "the too-fine grid's field"
req GET "/api/v1/grid?cell=0.5" "$viewer"
want 400 "a grid without bbox"

# The page in Chromium.
timeout 90 python3 "$src/tests/cli/dashboard_check.py" "$browser" "$url" "$party" "$viewer" \
    "$admin" "$tmp" >"$tmp/check" 2>&1
rc=$?
grep -v '^ok ' "$tmp/check" >&2
[ $rc -eq 0 ] && ok || bad "the page in Chromium (exit $rc)"
pass=$((pass + $(grep -c '^ok ' "$tmp/check")))

serve_stop
[ "$sstatus" -eq 0 ] && ok || bad "truce serve exited $sstatus"
echo "test_dashboard: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
