#!/bin/sh
# The Idlib 2020 demo: what a new user sees first after `make demo`.
# usage: sh scripts/demo.sh path/to/truce
set -eu
truce=$1
cd "$(dirname "$0")/.."
agreement=data/idlib-2020/agreement.geojson
echo "== truce check $agreement"
"$truce" check "$agreement"
events=data/idlib-2020/events.geojson
echo
echo "== truce classify $agreement $events"
"$truce" classify --format table "$agreement" "$events"
echo
echo "== truce stats $agreement $events"
"$truce" stats "$agreement" "$events" | grep -v '^20[0-9-]* .* 0 *0 *0 *0 *0$'
echo
patrol=$(mktemp)
trap 'rm -f "$patrol"' EXIT
echo "== truce gen-track --detour 32,42,2000 --stop 10,600 $agreement (a patrol with a 2 km detour)"
"$truce" gen-track --detour 32,42,2000 --stop 10,600 -o "$patrol" "$agreement"
echo "== truce patrol $agreement PATROL.gpx"
"$truce" patrol "$agreement" "$patrol"
echo
map=$(dirname "$truce")/idlib-map.svg
echo "== truce map -o $map $agreement $events"
"$truce" map -o "$map" "$agreement" "$events"
echo "The Idlib map: $(cd "$(dirname "$map")" && pwd)/$(basename "$map") (open it in a browser)"
echo
report=$(dirname "$truce")/idlib-report.html
echo "== truce report $agreement $events --tracks PATROL.gpx -o $report"
"$truce" report -q "$agreement" "$events" --tracks "$patrol" -o "$report"
echo "The Idlib report is $(cd "$(dirname "$report")" && pwd)/$(basename "$report"): open it in any browser (it needs no network)."
