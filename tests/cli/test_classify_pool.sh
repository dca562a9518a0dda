#!/bin/sh
# Several judging threads (src/judge/judge.c): --threads 3 and 5 give the
# bytes, exit status and rejects of --threads 1, batches finishing out of
# order included, and an error still stops every thread.
# usage: sh test_classify_pool.sh TRUCE_BINARY SOURCE_DIR
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0
# differ WHAT: report a failure
differ() {
    echo "FAIL: $*" >&2
    status=1
}

agreement=$2/data/idlib-2020/agreement.geojson
"$(dirname "$1")/tools/truce-gen-events" --layout acled-2023 --rows 30000 --seed 11 --bad all=30 \
    -o "$dir/gen.csv" || differ "generator"
for cmd in "classify -f jsonl" "classify -f table" "stats --by zone --by day"; do
    for n in 1 3 5; do
        # shellcheck disable=SC2086 # cmd is words
        "$1" $cmd --threads $n --rejects "$dir/rej$n" "$agreement" "$dir/gen.csv" \
            "$2/data/idlib-2020/events.geojson" >"$dir/out$n" 2>"$dir/err$n"
        echo $? >"$dir/rc$n"
    done
    for n in 3 5; do
        for f in out err rc rej; do
            cmp -s "$dir/${f}1" "$dir/${f}$n" || differ "$cmd: $f differs between --threads 1 and $n"
        done
    done
done
if [ -w /dev/full ]; then
    "$1" classify -f jsonl --threads 4 -o /dev/full "$agreement" "$dir/gen.csv" >/dev/null 2>&1
    [ $? -eq 4 ] || differ "--threads 4 -o /dev/full: expected exit 4"
fi
exit $status
