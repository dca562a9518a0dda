#!/bin/sh
# The judging pipeline (src/judge/judge.c): classify and stats give the same
# bytes with --threads 1 (one thread) and --threads 2 (a judging thread fed
# in batches), on the bundled data and on a generated file with rejects that
# spans many batches; errors stop both threads.
# usage: sh test_classify_threads.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
a=$src/data/idlib-2020/agreement.geojson
ev=$src/data/idlib-2020/events.geojson

# same NAME ARGS...: run with --threads 1 and 2; stdout, stderr, exit status
# and the rejects file (when ARGS write $tmp/rej) must be identical.
same() {
    name=$1
    shift
    for t in 1 2; do
        rm -f "$tmp/rej"
        "$truce" "$@" --threads $t <"${stdin:-/dev/null}" >"$tmp/out$t" 2>"$tmp/err$t"
        echo $? >"$tmp/rc$t"
        [ -f "$tmp/rej" ] && mv "$tmp/rej" "$tmp/rej$t" || : >"$tmp/rej$t"
    done
    for f in out err rc rej; do
        cmp -s "$tmp/${f}1" "$tmp/${f}2" && ok || {
            bad "$name: $f differs between --threads 1 and 2"
            diff "$tmp/${f}1" "$tmp/${f}2" | head -5 >&2
        }
    done
}

for f in jsonl csv geojson table; do
    same "bundled $f" classify -f $f "$a" "$ev"
done
same "bundled stats" stats --by party --by zone --by day "$a" "$ev"

# 12,000 generated rows (about 12 batches of 1024: the four batches in
# flight wrap round several times) with every kind of bad row mixed in.
g=$tmp/gen.csv
"$gen" --layout acled-2023 --rows 12000 --seed 7 --bad all=40 -o "$g" || bad "generator"
same "generated jsonl" classify -f jsonl --rejects "$tmp/rej" "$a" "$g"
[ "$(cat "$tmp/rc1")" -eq 3 ] && ok || bad "generated: expected exit 3, got $(cat "$tmp/rc1")"
grep -q "rejected [1-9]" "$tmp/err2" && ok || bad "generated: no rejects reported"
[ -s "$tmp/rej2" ] && ok || bad "generated: rejects file empty"
# Rejects are listed in input order, with their lines.
grep -E '^[^ ]+:[0-9]+: ' "$tmp/err2" | cut -d: -f2 >"$tmp/lines"
sort -n -c "$tmp/lines" 2>/dev/null && ok || bad "rejects not in line order"
same "generated csv" classify -f csv "$a" "$g"
same "generated geojson" classify -f geojson "$a" "$g"
same "generated stats" stats -f json --by party --by corridor-km "$a" "$g"
# Several files, one of them stdin; the pipeline drains at each file's end.
stdin=$ev same "several files" classify -f jsonl "$a" "$ev" - "$g"

# Two events whose notes (655,360 bytes each) fill most of a batch's 1 MiB
# arena: the batch is handed over early and the second starts the next one.
"$truce" events "$ev" 2>/dev/null >"$tmp/ev.jsonl"
awk 'BEGIN { big = "xxxxxxxxxx"; for (i = 0; i < 16; i++) big = big big }
     NR == 21 { sub(/"notes":"[^"]*"/, "\"notes\":\"" big "\"") }
     { print }
     END { if (sub(/"notes":"[^"]*"/, "\"notes\":\"" big "\"") && sub(/"id":"[^"]*"/, "\"id\":\"big-2\""))
               print }' "$tmp/ev.jsonl" >"$tmp/big.jsonl"
same "big events" classify -f jsonl "$a" "$tmp/big.jsonl"
[ "$(awk 'length > 655360' "$tmp/out2" | wc -l)" -eq 2 ] && ok || bad "big events: notes not kept"

# Errors stop both threads: a write failure, usage.
if [ -w /dev/full ]; then
    for t in 1 2; do
        "$truce" classify -f jsonl --threads $t -o /dev/full "$a" "$g" >/dev/null 2>"$tmp/err"
        [ $? -eq 4 ] && ok || bad "--threads $t -o /dev/full: expected exit 4"
    done
fi
for n in 0 -1 x 2x 1025; do
    "$truce" classify --threads "$n" "$a" "$ev" >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] && ok || bad "--threads $n: expected exit 2"
    grep -q 'from 1 to 1024' "$tmp/err" && ok || bad "--threads $n: message lacks the range"
done
"$truce" stats --threads 8 "$a" "$ev" >/dev/null 2>&1 && ok || bad "--threads 8"
"$truce" classify --help | grep -q -- "--threads N" && ok || bad "classify --help lacks --threads"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
