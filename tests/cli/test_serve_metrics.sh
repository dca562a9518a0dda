#!/bin/sh
# GET /metrics of truce serve (docs/server.md, "Metrics"): a token is
# required (any role); the Prometheus text format 0.0.4 with every sample
# line well-formed; requests by route and status, a latency histogram
# whose buckets add up, the stored events by verdict and status as the
# store holds them, the store's size.
# usage: sh test_serve_metrics.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
E=$src/data/idlib-2020/events.geojson
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
party=$("$truce" token add --db "$db" --role party --party Russia)
viewer=$("$truce" token add --db "$db" --role viewer)
serve_start "$db" "$A" || exit 1

req GET /metrics ""
want 401 "/metrics without a token"
"$truce" events "$E" 2>/dev/null | sed -n 8,12p >"$tmp/events.jsonl"
while read -r line; do
    printf '%s' "$line" >"$tmp/one"
    req POST /api/v1/reports "$admin" --data-binary @"$tmp/one"
    want 201 "posting a report"
done <"$tmp/events.jsonl"
id=$(head -1 "$tmp/events.jsonl" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["id"])')
req POST "/api/v1/events/$id/reviews" "$party" --data-binary '{"action":"confirm"}'
want 201 "a confirmation"
req GET /api/v1/nothing "$viewer"
want 404 "an unknown path"

req GET /metrics "$viewer"
want 200 "/metrics for a viewer"
grep -qi '^content-type: text/plain; version=0.0.4' "$tmp/headers" && ok || bad "/metrics content type"
"$truce" classify --format jsonl "$A" "$tmp/events.jsonl" 2>/dev/null >"$tmp/classified"
python3 - "$tmp/body" "$tmp/classified" "$id" <<'EOF' && ok || bad "/metrics: $(cat "$tmp/body")"
import collections, json, re, sys
sample = re.compile(r'^([a-z_]+)(\{([a-z_]+="[^"\\]*"(,[a-z_]+="[^"\\]*")*)\})? (\S+)$')
m = collections.defaultdict(dict)
types = {}
for line in open(sys.argv[1]).read().splitlines():
    if line.startswith("# TYPE "):
        _, _, name, kind = line.split(" ")
        types[name] = kind
        continue
    if line.startswith("# HELP "):
        continue
    g = sample.match(line)
    assert g, "not a sample line: " + line
    labels = tuple(sorted(re.findall(r'([a-z_]+)="([^"]*)"', g.group(3) or "")))
    m[g.group(1)][labels] = float(g.group(5))
assert types == {"truce_http_requests_total": "counter",
                 "truce_http_request_duration_seconds": "histogram",
                 "truce_events": "gauge", "truce_store_bytes": "gauge",
                 "truce_agreement_version": "gauge"}, types
req = m["truce_http_requests_total"]
assert req[(("method", "POST"), ("route", "/api/v1/reports"), ("status", "201"))] == 5, req
assert req[(("method", "POST"), ("route", "/api/v1/events/{id}/reviews"), ("status", "201"))] == 1
assert req[(("method", "GET"), ("route", "/metrics"), ("status", "401"))] == 1
assert req[(("method", ""), ("route", "unmatched"), ("status", "404"))] == 1
# The histogram: buckets never decrease and +Inf is the count.
rl = (("method", "POST"), ("route", "/api/v1/reports"))
buckets = sorted(((float(dict(k)["le"]), v) for k, v in m["truce_http_request_duration_seconds_bucket"].items()
                  if k[:1] == (("le", dict(k)["le"]),) and tuple(x for x in k if x[0] != "le") == rl))
counts = [v for _, v in buckets]
assert counts == sorted(counts) and buckets[-1][0] == float("inf") and counts[-1] == 5, buckets
assert m["truce_http_request_duration_seconds_count"][rl] == 5
assert m["truce_http_request_duration_seconds_sum"][rl] > 0
# Events by verdict and status: classify's verdicts, one confirmed.
want = collections.Counter()
for i, l in enumerate(open(sys.argv[2])):
    x = json.loads(l)
    want[(("status", "confirmed" if x["id"] == sys.argv[3] else "submitted"), ("verdict", x["violation"]))] += 1
assert {k: v for k, v in m["truce_events"].items()} == dict(want), (m["truce_events"], want)
assert m["truce_store_bytes"][()] > 4096
assert m["truce_agreement_version"][()] == 1
EOF
serve_stop
echo "serve_metrics: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
