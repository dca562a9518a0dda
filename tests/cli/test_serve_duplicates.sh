#!/bin/sh
# A new report's likely duplicates in truce serve (docs/server.md, "Likely
# duplicates"): POST /api/v1/reports answers, beside the stored event, the
# stored events that truce dedup's pair rule links with it (id, score,
# reason) among those stored before it (a retry answers the same), and
# GET /api/v1/events/{id}/duplicates gives them among all for a stored
# one; a report far away, on another day or of an incompatible type is
# none; a reporter sees only its own reports among them; the ids match
# what truce dedup --same-source clusters from the same reports.
# usage: sh test_serve_duplicates.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
db=$tmp/t.db
admin=$("$truce" token add --db "$db" --role admin)
reporter=$("$truce" token add --db "$db" --role reporter)
serve_start "$db" "$A" || exit 1

post() { # TOKEN JSON
    printf '%s' "$2" >"$tmp/one"
    req POST /api/v1/reports "$1" --data-binary @"$tmp/one"
}
# none WHAT JSON: posted by the admin, stored, and no likely duplicates.
none() {
    post "$admin" "$2"
    want 201 "$1"
    json "b['likely_duplicates'] == []" && ok || bad "$1 has duplicates: $(cat "$tmp/body")"
}
# The same shelling told three ways, and three reports that are not it.
none "the first report" '{"id":"acled-1","date":"2020-03-10","lon":36.70,"lat":35.80,"radius_m":2000,"event_type":"Explosions/Remote violence","fatalities":3}'
none "a report 54 km away" '{"id":"far","date":"2020-03-10","lon":37.30,"lat":35.80,"radius_m":2000,"event_type":"shelling","fatalities":3}'
none "a report a week later" '{"id":"next-week","date":"2020-03-17","lon":36.70,"lat":35.80,"radius_m":2000,"event_type":"shelling","fatalities":3}'
none "a protest on the spot" '{"id":"protest","date":"2020-03-10","lon":36.70,"lat":35.80,"radius_m":2000,"event_type":"protest"}'
post "$admin" '{"id":"party-1","date":"2020-03-10","lon":36.71,"lat":35.80,"radius_m":1000,"event_type":"shelling","fatalities":4}'
want 201 "the party's report"
json "[d['id'] for d in b['likely_duplicates']] == ['acled-1']" && ok ||
    bad "party-1: $(cat "$tmp/body")"
json "0.5 <= b['likely_duplicates'][0]['score'] <= 1 and 'explosion and explosion' in b['likely_duplicates'][0]['reason']" &&
    ok || bad "score and reason: $(cat "$tmp/body")"
json "b['id'] == 'party-1' and b['status'] == 'submitted'" && ok || bad "the stored event is still answered"
# An observer's sighting whose sector holds the place.
post "$reporter" '{"id":"obs-1","date":"2020-03-10","event_type":"shelling","observation":"heard","observer_lon":36.70,"observer_lat":35.83,"bearing_min_deg":160,"bearing_max_deg":200,"distance_min_m":2000,"distance_max_m":4500}'
want 201 "the observer's sighting"
# A reporter sees its own reports only: none of the others.
json "b['likely_duplicates'] == []" && ok || bad "a reporter saw others' reports: $(cat "$tmp/body")"

req GET /api/v1/events/acled-1/duplicates "$admin"
want 200 "GET duplicates"
json "b['id'] == 'acled-1' and sorted(d['id'] for d in b['likely_duplicates']) == ['obs-1', 'party-1']" &&
    ok || bad "acled-1's duplicates: $(cat "$tmp/body")"
json "all(x['score'] >= y['score'] for x, y in zip(b['likely_duplicates'], b['likely_duplicates'][1:]))" &&
    ok || bad "not best first"
req GET /api/v1/events/nothing/duplicates "$admin"
want 404 "an unknown event"
req GET /api/v1/events/acled-1/duplicates "$reporter"
want 403 "a reporter reading another's event"
req GET /api/v1/events/obs-1/duplicates "$reporter"
want 200 "a reporter reading its own"
json "b['likely_duplicates'] == []" && ok || bad "reporter: $(cat "$tmp/body")"
req GET /api/v1/events/acled-1/duplicates ""
want 401 "no token"

# On arrival a report names those stored before it, so that a retry with
# its Idempotency-Key gets the same answer after more have come.
late='{"id":"late-1","date":"2020-03-10","lon":36.70,"lat":35.81,"radius_m":2000,"event_type":"shelling"}'
printf '%s' "$late" >"$tmp/late"
req POST /api/v1/reports "$admin" -H 'Idempotency-Key: late' --data-binary @"$tmp/late"
want 201 "a late report with a key"
cp "$tmp/body" "$tmp/late.first"
json "'acled-1' in [d['id'] for d in b['likely_duplicates']]" && ok || bad "late-1: $(cat "$tmp/body")"
post "$admin" '{"id":"late-2","date":"2020-03-10","lon":36.70,"lat":35.81,"radius_m":2000,"event_type":"shelling"}'
want 201 "another late report"
json "'late-1' in [d['id'] for d in b['likely_duplicates']]" && ok || bad "late-2: $(cat "$tmp/body")"
req POST /api/v1/reports "$admin" -H 'Idempotency-Key: late' --data-binary @"$tmp/late"
cmp -s "$tmp/body" "$tmp/late.first" && ok || bad "the retry's answer differs: $(cat "$tmp/body")"
req GET /api/v1/events/late-1/duplicates "$admin"
json "'late-2' in [d['id'] for d in b['likely_duplicates']]" && ok ||
    bad "GET names those stored after it too: $(cat "$tmp/body")"

# The same rule as truce dedup: the three reports of the shelling are one
# cluster there too.
req GET "/api/v1/events?f=jsonl&limit=100" "$admin"
want 200 "the stored events"
expect 0 "dedup --same-source -f jsonl $tmp/body"
grep -F '"acled-1"' "$out" | grep -F '"party-1"' | grep -qF '"obs-1"' && ok ||
    bad "truce dedup clusters them otherwise: $(cat "$out")"

serve_stop
echo "serve_duplicates: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
