#!/bin/sh
# POST /api/v1/imports of truce serve (docs/server.md): each of the four
# event formats imported with the counts and rejects truce events gives on
# the same file; a second import of a file stores nothing twice, a changed
# row under a stored id is a reject; a sighting's observer_place is a place
# of the agreement served; a body over --max-import (declared or
# streamed), a format no reader has, content of no format and a GeoJSON
# file that is not JSON are refused and store nothing; who may import.
# usage: sh test_serve_imports.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
party=$("$truce" token add --db "$db" --role party --party Turkey)
reporter=$("$truce" token add --db "$db" --role reporter)
viewer=$("$truce" token add --db "$db" --role viewer)
status 2 "$truce" serve --max-import 0 "$A"
grep -q -- "--max-import: expected a number of bytes" "$tmp/err" && ok || bad "--max-import 0: $(cat "$tmp/err")"
serve_start "$db" "$A" --max-import 200000 || exit 1

# stored: the number of events the admin lists.
stored() {
    curl -s -H "Authorization: Bearer $admin" "$url/api/v1/events?f=jsonl&limit=1000" | wc -l |
        tr -d ' '
}

# import FILE TOKEN [CURL-OPTION...]
import() {
    _f=$1; _t=$2; shift 2
    req POST /api/v1/imports "$_t" --data-binary @"$_f" "$@"
}

# Each format: the counts and the rejects (line, field) of truce events.
for f in "$src/tests/data/oom/acled.csv" "$src/tests/data/oom/ucdp.csv" \
    "$src/data/idlib-2020/events.geojson" "$src/tests/data/oom/events.jsonl" \
    "$src/fuzz/corpus/acled/gen-acled-2023.csv"; do
    "$truce" events --timezone Asia/Damascus "$f" >/dev/null 2>"$tmp/cli.err"
    summary=$(sed -n 's/^truce events: read \([0-9]*\), accepted \([0-9]*\), rejected \([0-9]*\)$/\1 \2 \3/p' \
        "$tmp/cli.err")
    import "$f" "$admin"
    want 200 "import $f"
    got=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); print(b["read"], b["accepted"], b["rejected"])' \
        "$tmp/body")
    [ -n "$summary" ] && [ "$got" = "$summary" ] && ok || bad "$f: counts $got, truce events says $summary"
    # The rejects as LINE FIELD, as truce events lists them ("FILE:LINE: FIELD: reason").
    sed -n "s|^$f:\([0-9]*\): \([a-z_]*\): .*|\1 \2|p" "$tmp/cli.err" >"$tmp/cli.rejects"
    python3 -c 'import json,sys; [print(r["line"], r["field"]) for r in json.load(open(sys.argv[1]))["rejects"] if r["field"]]' \
        "$tmp/body" >"$tmp/srv.rejects"
    cmp -s "$tmp/cli.rejects" "$tmp/srv.rejects" && ok ||
        bad "$f: rejects differ: $(cat "$tmp/srv.rejects") vs $(cat "$tmp/cli.rejects")"
done
json "b['rejected'] == 15 and b['rejects'][0] == {'line': 3, 'field': 'event_date', 'reason': 'no such date: 2020-02-30'}" &&
    ok || bad "a reject's line, field and reason: $(head -c 300 "$tmp/body")"
n=$(stored)
[ "$n" -eq 44 ] && ok || bad "stored $n events, expected 44"

# Again: nothing stored twice.
import "$src/data/idlib-2020/events.geojson" "$admin" -H 'Content-Type: application/geo+json'
want 200 "second import"
json "b['stored'] == 0 and b['already_stored'] == 36 and b['accepted'] == 36" && ok ||
    bad "second import: $(head -c 300 "$tmp/body")"
[ "$(stored)" -eq "$n" ] && ok || bad "a second import stored something"

# A row whose id holds another event: a reject naming the id.
"$truce" events "$src/tests/data/oom/events.jsonl" 2>/dev/null | head -1 |
    sed 's/"fatalities":null/"fatalities":99/' >"$tmp/changed.jsonl"
import "$tmp/changed.jsonl" "$admin" -H 'Content-Type: application/x-ndjson'
want 200 "import of a changed row"
json "b['rejected'] == 1 and b['rejects'][0]['line'] == 1 and b['rejects'][0]['field'] == 'id' and b['stored'] == 0" &&
    ok || bad "a changed row: $(head -c 300 "$tmp/body")"

# A sighting's observer_place names a place of the agreement served, as
# in POST /api/v1/reports and truce events --agreement.
import "$src/tests/data/events/sightings_places.jsonl" "$admin" -H 'Content-Type: application/x-ndjson'
want 200 "import of sightings by place"
json "b['accepted'] == 2 and b['stored'] == 2 and b['rejected'] == 0" && ok ||
    bad "sightings by place: $(head -c 300 "$tmp/body")"
req GET /api/v1/events/obs-p1 "$admin"
"$truce" events --agreement "$A" "$src/tests/data/events/sightings_places.jsonl" 2>/dev/null |
    grep -F '"id":"obs-p1"' | grep -o '"lon":[^,]*,"lat":[^,]*,"radius_m":[^,]*' >"$tmp/cli.place"
[ -s "$tmp/cli.place" ] && grep -qF "$(cat "$tmp/cli.place")" "$tmp/body" && ok ||
    bad "obs-p1 stored at $(grep -o '"lon":[^,]*,"lat":[^,]*' "$tmp/body"), truce events: $(cat "$tmp/cli.place")"
n=$((n + 2))

# Refused: nothing stored.
head -c 200001 /dev/zero | tr '\0' 'x' >"$tmp/big"
import "$tmp/big" "$admin"
want 413 "a body over --max-import"
import "$tmp/big" "$admin" -H 'Transfer-Encoding: chunked'
want 413 "a streamed body over --max-import"
req POST "/api/v1/imports?format=kml" "$admin" --data-binary @"$src/tests/data/oom/acled.csv"
want 400 "format=kml"
json "b['field'] == 'format'" && ok || bad "format=kml: $(cat "$tmp/body")"
printf 'hello\nworld\n' >"$tmp/hello"
import "$tmp/hello" "$admin"
want 400 "content of no format"
head -c 3000 "$src/data/idlib-2020/events.geojson" >"$tmp/cut.geojson"
printf '{"type":"Feature","id":"fresh-1","properties":{}}\n' >>"$tmp/cut.geojson"
req POST "/api/v1/imports?format=geojson" "$admin" --data-binary @"$tmp/cut.geojson"
want 400 "a GeoJSON file that is not JSON"
json "b['field'] == 'body' and b['detail'].startswith('line ')" && ok ||
    bad "not JSON: $(cat "$tmp/body")"
[ "$(stored)" -eq "$n" ] && ok || bad "a refused import stored something"

# Who may: admin, party, reporter (its own); not a viewer, not without a token.
import "$src/tests/data/oom/acled.csv" ""
want 401 "no token"
import "$src/tests/data/oom/acled.csv" "$viewer"
want 403 "viewer"
import "$src/tests/data/oom/acled.csv" "$party"
want 200 "party"
printf '{"id":"r-1","date":"2020-03-10","lat":35.8,"lon":36.6,"event_type":"Battles"}\n' >"$tmp/r.jsonl"
import "$tmp/r.jsonl" "$reporter"
want 200 "reporter"
json "b['stored'] == 1" && ok || bad "reporter's import: $(cat "$tmp/body")"
req GET "/api/v1/events?f=jsonl" "$reporter"
[ "$(wc -l <"$tmp/body")" -eq 1 ] && grep -q '"id":"r-1"' "$tmp/body" && ok ||
    bad "a reporter lists its own import: $(head -c 300 "$tmp/body")"

serve_stop
[ "$sstatus" -eq 0 ] && ok || bad "serve exit $sstatus"
echo "test_serve_imports: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
