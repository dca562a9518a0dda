#!/bin/sh
# Judging must not be the bottleneck: truce classify against truce events
# alone on the same generated file of 1,000,000 ACLED-layout events around
# Idlib, judged against the bundled agreement (docs/performance.md, "Classify").
# usage: sh bench/bench_classify.sh BUILD_DIR [ROWS]   (default 1000000)
# Prints CPU seconds (user+sys, best of 3) and events/s for each, then the
# ratio classify / events (the issue asks for >= 0.80).
set -eu
build=$1
rows=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_OUT:-$here/out}
mkdir -p "$out"
agreement=$here/../data/idlib-2020/agreement.geojson
csv="$out/acled-rows-$rows.csv"
[ -f "$csv" ] || "$build/tools/truce-gen-events" --layout acled-2023 --rows "$rows" --seed 2 -o "$csv"
pin=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
echo "input: $csv, $(wc -c <"$csv") bytes, $rows events"

# best NAME CMD...: the least CPU time of three runs, in seconds
best() {
    name=$1
    shift
    b=""
    for i in 1 2 3; do
        /usr/bin/time -f '%U %S' -o "$out/time.txt" $pin "$@" >/dev/null 2>"$out/$name.err"
        t=$(awk '{print $1 + $2}' "$out/time.txt")
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" -eq 1 ]; then b=$t; fi
    done
    echo "$b"
}

ev=$(best events "$build/truce" events --agreement "$agreement" -o /dev/null "$csv")
cl=$(best classify "$build/truce" classify -f jsonl -o /dev/null "$agreement" "$csv")
printf 'truce.events\t%s s\t%.0f events/s\n' "$ev" "$(echo "$rows / $ev" | bc -l)"
printf 'truce.classify\t%s s\t%.0f events/s\n' "$cl" "$(echo "$rows / $cl" | bc -l)"
printf 'ratio\tclassify / events speed\t%.3f\t(target >= 0.80)\n' "$(echo "$ev / $cl" | bc -l)"
tail -n 1 "$out/classify.err"
