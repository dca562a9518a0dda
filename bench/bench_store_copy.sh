#!/bin/sh
# truce store copy over a large store (docs/server.md, "Copying a store"):
#   sh bench/bench_store_copy.sh BUILD_DIR [EVENTS] [MIDDLE]
# 1. Fill store A with EVENTS (default 1,000,000) generated ACLED rows
#    (truce-gen-events) through one POST /api/v1/imports of truce serve,
#    then review every 10th event (Turkey confirms) and every 20th again
#    (Russia disputes, with a note) over keep-alive connections.
# 2. Copy A -> MIDDLE -> C with truce store copy, timing each, and compare
#    the checksums of A and C (truce store checksum).  MIDDLE defaults to a
#    SQLite file; give another store's location (a PostgreSQL one once its
#    backend copies) to time the copy both ways between backends.
# Scratch files under a temporary directory, removed at the end.
set -eu
build=$1
events=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_built "$truce" "$gen"
tmp=$(mktemp -d /tmp/truce-bench-copy.XXXXXX)
work=$tmp
a=$work/a.db
middle=${3:-$work/b.db}
c=$work/c.db
spid=
cleanup() {
    [ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
# serve_start and serve_stop, as the tests start truce serve.
. "$src/tests/cli/serve_lib.sh"

admin=$("$truce" token add --db "$a" --role admin --name bench)
turkey=$("$truce" token add --db "$a" --role party --party Turkey --name bench)
russia=$("$truce" token add --db "$a" --role party --party Russia --name bench)
serve_start "$a" "$agreement" --max-import 4000000000 --timeout 3600
port=${url##*:}

"$gen" --rows "$events" --places "$src/data/idlib-2020/places.csv" --scatter 5 --seed 11 \
    -o "$work/events.csv"
t0=$(date +%s.%N)
curl -sf -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/api/v1/imports" \
    --data-binary @"$work/events.csv" >"$work/import.json"
t1=$(date +%s.%N)
echo "filled: $(head -c 200 "$work/import.json") in $(echo "$t1 - $t0" | bc) s"
python3 - "$port" "$turkey" "$russia" "$work/events.csv" <<'PY'
import csv, http.client, sys, threading, time
port, turkey, russia, path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
with open(path, newline="") as f:
    ids = [row[0] for row in csv.reader(f)][1:]
todo = [(i, turkey, b'{"action":"confirm"}') for i in ids[::10]]
todo += [(i, russia, b'{"action":"dispute","note":"not ours"}') for i in ids[::20]]
def review(part):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i, token, body in part:
        c.request("POST", f"/api/v1/events/{i}/reviews", body, {"Authorization": "Bearer " + token})
        r = c.getresponse(); r.read()
        assert r.status == 201, (i, r.status)
t0 = time.time()
ts = [threading.Thread(target=review, args=(todo[k::4],)) for k in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
print(f"reviewed: {len(todo)} reviews in {time.time() - t0:.1f} s")
PY
serve_stop
spid=

copy() { # FROM TO
    t0=$(date +%s.%N)
    "$truce" store copy "$1" "$2" >"$work/copy.out" 2>"$work/copy.err" ||
        { cat "$work/copy.out" "$work/copy.err" >&2; exit 1; }
    t1=$(date +%s.%N)
    rows=$(awk -F'\t' 'NR > 1 && $1 !~ /sha256/ { n += $3 } END { print n }' "$work/copy.out")
    echo "copy $(basename "$1") -> $(basename "$2"): $rows rows in $(echo "$t1 - $t0" | bc) s" \
        "($(echo "$rows / ($t1 - $t0)" | bc) rows/s)"
}
copy "$a" "$middle"
copy "$middle" "$c"
"$truce" store checksum "$a" >"$work/sum.a"
"$truce" store checksum "$c" >"$work/sum.c"
cat "$work/sum.a"
if cmp -s "$work/sum.a" "$work/sum.c"; then
    echo "A and C: counts and checksums equal"
else
    echo "A and C differ:" >&2
    diff "$work/sum.a" "$work/sum.c" >&2
    exit 1
fi
