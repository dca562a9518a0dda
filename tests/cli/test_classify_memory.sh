#!/bin/sh
# classify's memory is bounded per zone and corridor (docs/classify.md,
# "Memory"): 100 distinct corridors took some 210 MB when each index was
# 1.7 MB, and 3,000 daily amendments of one corridor ran out of 1.6 GB (and
# their verdicts, 120 KB an event, filled batches of 1,024 events); both
# must stay under 120 MB of peak RSS (GNU time) over 3,000 generated
# events, with the verdicts of the bundled agreement.  Under AddressSanitizer,
# whose shadow memory and quarantine make RSS meaningless, the runs are
# kept (smaller) and the bound is not checked.
# usage: sh test_classify_memory.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
a=$src/data/idlib-2020/agreement.geojson
ev=$tmp/events.csv
"$gen" --layout acled-2023 --rows 3000 --seed 2 -o "$ev" || bad "truce-gen-events"
gen_agreement=$src/tests/cli/gen_agreement.py
bound_kb=120000

asan=0
if ldd "$truce" 2>/dev/null | grep -q libasan || nm "$truce" 2>/dev/null | grep -q __asan_init; then
    asan=1
fi
gnutime=/usr/bin/time
[ -x "$gnutime" ] && "$gnutime" -f %M true >/dev/null 2>&1 || gnutime=

# run NAME AGREEMENT: classify the bundled events against AGREEMENT (twice
# the threads of a one-CPU run: a classifier each), check the verdicts of
# the bundled agreement's own features are unchanged, and the peak RSS.
"$truce" classify -f jsonl -o "$tmp/base.jsonl" "$a" "$ev" 2>/dev/null
run() {
    name=$1 agreement=$2
    if [ "$asan" -eq 0 ] && [ -n "$gnutime" ]; then
        (ulimit -v 4000000 2>/dev/null
         "$gnutime" -f %M -o "$tmp/rss" "$truce" classify --threads 2 -f jsonl \
             -o "$tmp/out.jsonl" "$agreement" "$ev") 2>"$tmp/err"
    else
        "$truce" classify --threads 2 -f jsonl -o "$tmp/out.jsonl" "$agreement" "$ev" 2>"$tmp/err"
    fi
    rc=$?
    [ "$rc" -eq 0 ] && ok || { bad "$name: exit $rc"; cat "$tmp/err" >&2; return; }
    # Every event keeps its verdict, rule and phase (the added corridors
    # come after the bundled ones and the same rules name them).
    for f in base out; do
        python3 -c 'import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    print(e["id"], e["phase"], e["violation"], e["rule"])' "$tmp/$f.jsonl" >"$tmp/$f.v"
    done
    cmp -s "$tmp/base.v" "$tmp/out.v" && ok || bad "$name: verdicts differ from the bundled agreement's"
    if [ "$asan" -eq 0 ] && [ -n "$gnutime" ]; then
        rss=$(tail -n 1 "$tmp/rss")
        [ "$rss" -le "$bound_kb" ] && ok || bad "$name: peak RSS $rss KB, more than $bound_kb KB"
    fi
}

if [ "$asan" -eq 1 ]; then n=10 m=300; else n=100 m=3000; fi
python3 "$gen_agreement" corridors $n "$a" "$tmp/corridors.json"
run "$n distinct corridors" "$tmp/corridors.json"
python3 "$gen_agreement" amendments $m "$a" "$tmp/amendments.json"
run "$m amendments" "$tmp/amendments.json"
[ "$asan" -eq 1 ] && echo "AddressSanitizer build: the memory bound is not checked"
[ -z "$gnutime" ] && echo "no GNU time at /usr/bin/time: the memory bound is not checked"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
