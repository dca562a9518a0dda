#!/bin/sh
# The dashboard's first view with many stored events (docs/performance.md,
# "Dashboard"):
#   sh bench/bench_dashboard.sh BUILD_DIR [EVENTS] [STORE]
# 1. Fill a store with EVENTS (default 1,000,000) generated ACLED rows on
#    the gazetteer's places, scattered over 5 km (truce-gen-events), sent
#    to truce serve in one POST /api/v1/imports, which judges and stores
#    them in batches; STORE (a path) keeps the filled store for the next
#    run (an existing one is used as it is).
# 2. Headless Chromium (tests/cli/cdp.py) opens the dashboard signed in as
#    a party, five times, each a fresh load: the milliseconds from the
#    navigation's start until the map shows the grid of counts (or the
#    markers), its figures and the review queue are shown.  (Past 200,000
#    events the page's figures are the grid's counts: GET /api/v1/stats
#    judges every event again, about 85 s for a million, and comes on
#    request only.)
set -eu
build=$1
events=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bench_built "$truce" "$gen"
work=$(mktemp -d /tmp/truce-bench-dash.XXXXXX)
store=${3:-$work/truce.db}
spid=
cleanup() {
    [ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

admin=$("$truce" token add --db "$store" --role admin --name bench)
party=$("$truce" token add --db "$store" --role party --party Turkey --name bench)
"$truce" serve --db "$store" --listen 127.0.0.1:0 --max-import 4000000000 "$agreement" \
    2>"$work/serve.log" &
spid=$!
url=
for _ in $(seq 200); do
    port=$(sed -n 's/.*"listen":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$work/serve.log")
    [ -n "$port" ] && url=http://127.0.0.1:$port && break
    sleep 0.05
done
[ -n "$url" ] || { cat "$work/serve.log" >&2; exit 1; }

have=$(curl -s -H "Authorization: Bearer $admin" "$url/api/v1/grid?bbox=-180,-90,180,90&cell=10" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
if [ "$have" -lt "$events" ]; then
    "$gen" --rows "$events" --places "$src/data/idlib-2020/places.csv" --scatter 5 \
        -o "$work/events.csv"
    t0=$(date +%s.%N)
    curl -sf -H "Authorization: Bearer $admin" "$url/api/v1/imports" \
        --data-binary @"$work/events.csv" >"$work/import.json"
    t1=$(date +%s.%N)
    rm -f "$work/events.csv"
    echo "filled: $(head -c 200 "$work/import.json") in $(echo "$t1 - $t0" | bc) s"
fi
curl -s -H "Authorization: Bearer $admin" "$url/api/v1/grid?bbox=-180,-90,180,90&cell=10" |
    python3 -c 'import json,sys; print("stored events:", json.load(sys.stdin)["total"])'

python3 - "$url" "$party" "$work" "$src" <<'PY'
import statistics, sys, time
sys.path.insert(0, sys.argv[4] + "/tests/cli")
from cdp import Browser
url, token, work = sys.argv[1:4]
SHOWN = ("document.body.dataset.view && document.querySelectorAll("
         "'.truce-cell, path.truce-event, .marker-cluster').length > 0 && "
         "document.querySelectorAll('#queue-list li').length > 0 && "
         "document.querySelectorAll('#figures-list div').length > 0 ? performance.now() : 0")
first = []
with Browser("chromium", work + "/profile", 1280, 800) as b:
    b.navigate(url + "/")
    b.wait("document.readyState === 'complete'", 10)
    b.eval("sessionStorage.setItem('truce.token', %r); true" % token)
    for i in range(5):
        b.navigate(url + "/")
        t = b.wait(SHOWN, 30, interval=0.01)
        view = b.eval("document.body.dataset.view + ' ' + "
                      "document.querySelectorAll('.truce-cell').length")
        print("load %d: first view %.0f ms (%s cells)" % (i + 1, t, view), flush=True)
        first.append(t)
        print("        figures: %s" % b.eval(
            "Array.from(document.querySelectorAll('#figures-list div'))"
            ".map(function (d) { return d.textContent; }).join(', ')"), flush=True)
    print("errors:", b.errors or "none")
print("first view: median %.0f ms, max %.0f ms" % (statistics.median(first), max(first)))
PY
