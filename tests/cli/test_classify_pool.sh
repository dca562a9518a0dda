#!/bin/sh
# Several judging threads (cli/cli_judge.c): --threads 3 and 5 give the
# bytes, exit status and rejects of --threads 1, batches finishing out of
# order included, and an error still stops every thread.
# usage: sh test_classify_pool.sh TRUCE_BINARY SOURCE_DIR
set -u
truce=$1
src=$2
gen=$(dirname "$truce")/tools/truce-gen-events
a=$src/data/idlib-2020/agreement.geojson
ev=$src/data/idlib-2020/events.geojson
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

g=$tmp/gen.csv
"$gen" --layout acled-2023 --rows 30000 --seed 11 --bad all=30 -o "$g" || bad "generator"
for cmd in "classify -f jsonl" "classify -f table" "stats --by zone --by day"; do
    for t in 1 3 5; do
        # shellcheck disable=SC2086 # cmd is words
        "$truce" $cmd --threads $t --rejects "$tmp/rej$t" "$a" "$g" "$ev" >"$tmp/out$t" 2>"$tmp/err$t"
        echo $? >"$tmp/rc$t"
    done
    for t in 3 5; do
        for f in out err rc rej; do
            cmp -s "$tmp/${f}1" "$tmp/${f}$t" && ok || bad "$cmd: $f differs between --threads 1 and $t"
        done
    done
done
if [ -w /dev/full ]; then
    "$truce" classify -f jsonl --threads 4 -o /dev/full "$a" "$g" >/dev/null 2>"$tmp/err"
    [ $? -eq 4 ] && ok || bad "--threads 4 -o /dev/full: expected exit 4"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
