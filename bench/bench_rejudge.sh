#!/bin/sh
# PUT /api/v1/agreement over N stored events (docs/performance.md,
# "Agreement versions"): how long the PUT takes, and how long readers wait
# meanwhile (GET /api/v1/events/{id} in a loop on another connection: the
# longest answer during the PUT, against the longest before it), and what
# a scrape of GET /metrics costs over them.
# usage: sh bench/bench_rejudge.sh BUILD_DIR [EVENTS]   (default 10000)
# Needs python3.  Runs a server on 127.0.0.1 (a free port) with a scratch
# store under bench/out.
set -eu
build=$1
n=${2:-10000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_built "$truce" "$gen"
out=${BENCH_OUT:-$here/out}
mkdir -p "$out"
db=$out/rejudge.db
rm -f "$db" "$db-wal" "$db-shm"
admin=$("$truce" token add --db "$db" --role admin)
"$gen" --layout acled-2023 --rows "$n" --scatter 30 --seed 7 -o "$out/rejudge.csv"
"$truce" events "$out/rejudge.csv" >"$out/rejudge.jsonl" 2>/dev/null
python3 - "$agreement" "$out/rejudge-v2.json" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
for f in a["features"]:
    if f["properties"].get("role") == "corridor":
        f["properties"]["from"] = "2020-03-12T00:00"
json.dump(a, open(sys.argv[2], "w"))
EOF
: >"$out/rejudge.log"
"$truce" serve --db "$db" --listen 127.0.0.1:0 --threads 4 "$agreement" 2>"$out/rejudge.log" &
spid=$!
trap 'kill -TERM $spid 2>/dev/null; wait $spid' EXIT
bench_listening $spid "$out/rejudge.log"
python3 - "$port" "$admin" "$out/rejudge.jsonl" "$out/rejudge-v2.json" <<'EOF'
import http.client, json, sys, threading, time
port, token, events, v2 = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
auth = {"Authorization": "Bearer " + token}
lines = open(events).read().splitlines()

def post(part):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for line in part:
        c.request("POST", "/api/v1/reports", line, auth)
        r = c.getresponse(); r.read()
        assert r.status in (200, 201), r.status
t0 = time.time()
ts = [threading.Thread(target=post, args=(lines[i::8],)) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(f"stored {len(lines)} events in {time.time() - t0:.1f} s")
first = json.loads(lines[0])["id"]

done = threading.Event()
waits = []
def read():
    c = http.client.HTTPConnection("127.0.0.1", port)
    while not done.is_set():
        t = time.time()
        c.request("GET", "/api/v1/events/" + first, headers=auth)
        r = c.getresponse(); r.read()
        waits.append((t, time.time() - t))
reader = threading.Thread(target=read); reader.start()
while len(waits) < 200:
    time.sleep(0.05)
c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
t0 = time.time()
c.request("PUT", "/api/v1/agreement", open(v2, "rb").read(), auth)
r = c.getresponse(); answer = r.read().decode()
t1 = time.time()
time.sleep(0.5)
done.set(); reader.join()
before = [w for t, w in waits if t < t0]
during = [w for t, w in waits if t0 <= t <= t1]
print(f"PUT /api/v1/agreement: {r.status} {answer} in {t1 - t0:.2f} s")
print(f"reads before: {len(before)}, longest {max(before, default=0) * 1000:.1f} ms; "
      f"during: {len(during)}, longest {max(during, default=0) * 1000:.1f} ms")
scrapes = []
for i in range(20):
    t = time.time()
    c.request("GET", "/metrics", headers=auth)
    r = c.getresponse(); r.read()
    scrapes.append(time.time() - t)
print(f"GET /metrics over {len(lines)} events: median {sorted(scrapes)[10] * 1000:.1f} ms")
EOF
