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
aid="data/idlib-2020/aid_deliveries.csv data/idlib-2020/aid_access.csv data/idlib-2020/aid_returns.csv"
echo "== truce aid $agreement AID-FILES $events (the aid files are ILLUSTRATIVE, generated: data/PROVENANCE.md)"
# shellcheck disable=SC2086
"$truce" aid "$agreement" $aid "$events" | sed '/^returns: area/,/^$/d'
echo
tracks=$(mktemp -d)
spid=
trap '[ -z "$spid" ] || kill -TERM $spid 2>/dev/null; rm -rf "$tracks"' EXIT
echo "== truce gen-track --detour 32,42,2000 --stop 10,600 $agreement (a patrol with a 2 km detour)"
"$truce" gen-track --detour 32,42,2000 --stop 10,600 -o "$tracks/detour.gpx" "$agreement"
echo "== truce patrol $agreement PATROL.gpx"
"$truce" patrol "$agreement" "$tracks/detour.gpx"
echo
# A week of patrols: the whole route on 15 March, a turn-back at km 40 on the
# 16th, none on the 17th, the detour on the 18th.
echo "== four days of generated patrols, none on 17 March: truce patrol $agreement mar15.gpx mar16.gpx mar18.gpx"
"$truce" gen-track --name "15 March" --start 2020-03-15T07:00:00Z -o "$tracks/mar15.gpx" "$agreement"
"$truce" gen-track --name "16 March" --start 2020-03-16T07:00:00Z --turn-back 40 \
    -o "$tracks/mar16.gpx" "$agreement"
"$truce" gen-track --name "18 March" --start 2020-03-18T07:00:00Z --detour 32,42,2000 \
    -o "$tracks/mar18.gpx" "$agreement"
"$truce" patrol "$agreement" "$tracks/mar15.gpx" "$tracks/mar16.gpx" "$tracks/mar18.gpx" |
    sed -n '/^summary/,$p'
echo
map=$(dirname "$truce")/idlib-map.svg
echo "== truce map --tracks mar15.gpx -o $map $agreement $events AID-FILES"
# shellcheck disable=SC2086
"$truce" map --tracks "$tracks/mar15.gpx" -o "$map" "$agreement" "$events" $aid
echo "The Idlib map: $(cd "$(dirname "$map")" && pwd)/$(basename "$map") (open it in a browser)"
echo
report=$(dirname "$truce")/idlib-report.html
echo "== truce report $agreement $events AID-FILES --tracks mar15.gpx mar16.gpx mar18.gpx -o $report"
# shellcheck disable=SC2086
"$truce" report -q "$agreement" "$events" $aid -o "$report" \
    --tracks "$tracks/mar15.gpx" "$tracks/mar16.gpx" "$tracks/mar18.gpx"
echo "The Idlib report is $(cd "$(dirname "$report")" && pwd)/$(basename "$report"): open it in any browser (it needs no network)."
echo
# The live service: a report goes in and comes back (docs/server.md).  The
# server listens on a free port of 127.0.0.1 for as long as this takes.
echo "== truce serve: a reporter posts one Idlib event, and reads it back judged"
db=$tracks/demo.db
"$truce" token add --db "$db" --role admin --name demo >/dev/null
reporter=$("$truce" token add --db "$db" --role reporter --name "demo reporter")
"$truce" serve --db "$db" --listen 127.0.0.1:0 "$agreement" 2>"$tracks/serve.log" &
spid=$!
url=
i=0
while [ -z "$url" ] && [ $i -lt 100 ] && kill -0 $spid 2>/dev/null; do
    sleep 0.1
    url=$(sed -n 's/.*"msg":"listening","listen":"\([^"]*\)".*/http:\/\/\1/p' "$tracks/serve.log")
    i=$((i + 1))
done
if [ -z "$url" ]; then
    echo "truce serve did not start:" >&2
    cat "$tracks/serve.log" >&2
    exit 1
fi
echo "truce serve --listen 127.0.0.1:0 $agreement: listening on $url"
"$truce" events --agreement "$agreement" "$events" 2>/dev/null |
    grep '"id":"IDL20-013"' >"$tracks/report.json"
echo "POST $url/api/v1/reports (the reporter's token):"
cut -c1-160 "$tracks/report.json" | sed 's/$/.../'
where=$(curl -sS --max-time 10 -o "$tracks/posted.json" -w '%{http_code} %header{location}' \
    -H "Authorization: Bearer $reporter" --data-binary @"$tracks/report.json" "$url/api/v1/reports")
echo "=> $where $(grep -o '"violation":"[^"]*"' "$tracks/posted.json" | head -1)"
echo "GET $url${where#* }:"
curl -sS --max-time 10 -H "Authorization: Bearer $reporter" "$url${where#* }" |
    sed 's/"rules":\[[^]]*\]//' |
    grep -o '"id":"[^"]*"\|"violation":"[^"]*"\|"rule":"[^"]*"\|"status":"[^"]*"\|"received_at":"[^"]*"' |
    tr '\n' ' '
echo "..."
kill -TERM $spid
wait $spid
spid=
echo "(stopped the server; make serve runs one to try)"
