#!/bin/sh
# Queries over a large store (docs/performance.md, "Queries over a million
# events"): GET /api/v1/events and the OGC items with a bbox around the M4
# corridor and limit=1000, other filters, deeper pages, a reporter's
# listing and the collections' descriptions, each timed with curl's
# time_total (a warm-up, then RUNS runs: min, median, max in ms) and by the
# CPU time the server spent per request (/proc/PID/stat: what the
# other processes of a busy machine do not inflate).
# usage: sh bench/bench_ogc.sh BUILD_DIR [EVENTS] [RUNS]   (default 1000000, 7)
# The store is filled once and kept (bench/out/ogc-EVENTS.db, about 2.9 GB
# for a million): truce-gen-events writes EVENTS ACLED rows scattered 30 km
# around the 22 places of the Idlib area, and one POST /api/v1/imports
# reads, judges and stores them (the server's own batch path, 512 rows a
# transaction; about 5 minutes for a million).  Needs curl and python3.
set -eu
build=$1
n=${2:-1000000}
runs=${3:-7}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_built "$truce" "$gen"
out=${BENCH_OUT:-$here/out}
mkdir -p "$out"
db=$out/ogc-$n.db
log=$out/ogc-$n.log
spid=
trap '[ -n "$spid" ] && kill -TERM $spid 2>/dev/null && wait $spid' EXIT
serve() {
    : >"$log"
    "$truce" serve --db "$db" --listen 127.0.0.1:0 --max-import 2000000000 --timeout 3600 \
        "$agreement" 2>"$log" &
    spid=$!
    bench_listening $spid "$log"
    url=http://127.0.0.1:$port
}

if [ ! -f "$out/ogc-$n.tokens" ]; then
    rm -f "$db" "$db-wal" "$db-shm"
    admin=$("$truce" token add --db "$db" --role admin --name bench)
    reporter=$("$truce" token add --db "$db" --role reporter --name bench)
    "$gen" --layout acled-2023 --rows "$n" --scatter 30 --seed 3 \
        -o "$out/ogc-$n.csv"
    serve
    start=$(date +%s)
    curl -s -H "Authorization: Bearer $admin" "$url/api/v1/imports" \
        --data-binary @"$out/ogc-$n.csv" >"$out/ogc-$n.import"
    curl -s -H "Authorization: Bearer $reporter" "$url/api/v1/reports" \
        -d '{"id":"bench-mine","start":"2020-03-07","lon":36.63,"lat":35.93,"event_type":"Battles"}' >/dev/null
    echo "filled: $(head -c 200 "$out/ogc-$n.import") in $(($(date +%s) - start)) s"
    rm -f "$out/ogc-$n.csv"
    echo "$admin $reporter" >"$out/ogc-$n.tokens"
    kill -TERM $spid
    wait $spid
    spid=
fi
read -r admin reporter <"$out/ogc-$n.tokens"
serve
echo "store: $n events, $(du -mL "$db" | cut -f1) MB; load: $(cut -d' ' -f1-3 /proc/loadavg)"

# The corridor's box, from its collection's extent.
box=$(curl -s -H "Authorization: Bearer $admin" "$url/ogc/collections/corridors" | python3 -c '
import json, sys
b = json.load(sys.stdin)["extent"]["spatial"]["bbox"][0]
print(",".join("%.4f" % v for v in b))')

cpu_ns() { # the server's CPU time so far (ns): user and system time of all
    # its threads, those ended included (/proc/PID/stat, in clock ticks)
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.0f", ($12 + $13) * 1e9 / hz }' \
        /proc/$spid/stat
}
timed() { # NAME TOKEN PATH
    name=$1 tok=$2 path=$3
    curl -s -o "$out/ogc-page" -H "Authorization: Bearer $tok" "$url$path"
    i=0
    : >"$out/ogc-times"
    cpu0=$(cpu_ns)
    while [ $i -lt "$runs" ]; do
        curl -s -o "$out/ogc-page" -w '%{time_total}\n' -H "Authorization: Bearer $tok" "$url$path" \
            >>"$out/ogc-times"
        i=$((i + 1))
    done
    cpu1=$(cpu_ns)
    python3 - "$out/ogc-times" "$out/ogc-page" "$name" "$path" "$cpu0" "$cpu1" "$runs" <<'EOF'
import json, statistics, sys
t = sorted(float(l) * 1000 for l in open(sys.argv[1]))
cpu = (float(sys.argv[6]) - float(sys.argv[5])) / int(sys.argv[7]) / 1e6
try:
    body = json.load(open(sys.argv[2]))
    what = f"{len(body['features'])} features" if "features" in body else f"{len(json.dumps(body))} bytes"
except ValueError:
    what = "?"
print(f"{sys.argv[3]:<40} min {t[0]:6.1f}  median {statistics.median(t):6.1f}  max {t[-1]:6.1f} ms"
      f"  server CPU {cpu:6.1f} ms  ({what})  {sys.argv[4]}")
EOF
}
next_of() { # PATH TOKEN: the next link of the page at PATH
    curl -s -H "Authorization: Bearer $2" "$url$1" |
        python3 -c 'import json,sys; print([l["href"] for l in json.load(sys.stdin)["links"] if l["rel"] == "next"][0])' |
        sed "s|^$url||"
}

timed "events, bbox over the corridor" "$admin" "/api/v1/events?limit=1000&bbox=$box"
timed "ogc items, bbox over the corridor" "$admin" "/ogc/collections/events/items?limit=1000&bbox=$box"
p2=$(next_of "/api/v1/events?limit=1000&bbox=$box" "$admin")
timed "events, bbox, second page" "$admin" "$p2"
deep=$(echo "$p2" | sed "s/cursor=e[0-9]*/cursor=e$((n * 9 / 10))/")
timed "events, bbox, page at 90% of the store" "$admin" "$deep"
timed "events, a box of 1 km" "$admin" "/api/v1/events?limit=1000&bbox=36.60,35.80,36.61,35.81"
timed "events, no filter" "$admin" "/api/v1/events?limit=1000"
timed "ogc items, no filter (numberMatched)" "$admin" "/ogc/collections/events/items?limit=1000"
timed "events, violation=yes" "$admin" "/api/v1/events?limit=1000&violation=yes"
timed "events, status=submitted" "$admin" "/api/v1/events?limit=1000&status=submitted"
timed "events, corridor=m4, km 30 to 40" "$admin" "/api/v1/events?limit=1000&corridor=m4&km_min=30&km_max=40"
timed "events, zone, datetime, bbox" "$admin" "/ogc/collections/events/items?limit=1000&zone=idlib-area&datetime=2020-03-06/2020-03-31&bbox=$box"
timed "events, a reporter's own" "$reporter" "/api/v1/events?limit=1000"
timed "ogc collection events (extent)" "$admin" "/ogc/collections/events"
timed "ogc collections" "$admin" "/ogc/collections"
