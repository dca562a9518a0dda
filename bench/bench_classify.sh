#!/bin/sh
# Judging must not be the bottleneck: truce classify against truce events
# alone on the same generated file of 1,000,000 ACLED-layout events around
# Idlib, judged against the bundled agreement (docs/performance.md, "Classify").
# Three inputs, each with its own lines under an "== input:" header:
#   - gazetteer places: every event exactly on one of the generator's 22
#     places, as ACLED and UCDP geocode (coordinates repeat: the best case
#     for anything that remembers results by coordinates);
#   - a real gazetteer: as many rows, same seed, with --places
#     data/idlib-2020/places.csv: every event exactly on one of its 4,629
#     places, drawn by Zipf's law (weight 1/rank), so a few places hold most
#     events and most places a few, as in real ACLED data.  Only the places
#     differ from the first file: the rest of each row is drawn the same;
#   - scattered: as many rows, same seed, with --scatter 20: every event at
#     coordinates of its own within 20 km of its place (the worst case for
#     such a memo).  The extra randoms shift the stream, so its other fields
#     differ from the first file's too, drawn alike.
# usage: [ROUNDS=N] sh bench/bench_classify.sh BUILD_DIR [ROWS]   (default 1000000)
# For each command prints the best wall-clock time of ROUNDS runs (default
# 5; the three commands take turns) and the CPU time (user+sys) of that run, and events/s by wall-clock time.  classify
# runs twice: with its default (a judging thread beside the reading one when
# more than one CPU is online) and with --threads 1.  The ratio the issue
# asks for (>= 0.80) is by wall-clock time: with two threads at work, CPU
# time adds up both and no longer measures how long a user waits.  Nothing
# is pinned to a core (a pinned pipeline would share one); run it on an
# otherwise idle machine.
set -eu
build=$1
rows=${2:-1000000}
rounds=${ROUNDS:-5}
here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_OUT:-$here/out}
mkdir -p "$out"
agreement=$here/../data/idlib-2020/agreement.geojson
places=$here/../data/idlib-2020/places.csv
# Its places: records after the header.  A line ends a record when the
# quotes so far pair up (RFC 4180 doubles quotes inside a field), so a line
# break inside quotes does not count; blank lines do not either.
nplaces=$(awk '{ q += gsub(/"/, "&") } q % 2 == 0 && /[^\r]/ { n++ } END { print n - 1 }' "$places")
nplaces_text=$(echo "$nplaces" |
    awk '{ n = $1; s = ""; while (n >= 1000) { s = sprintf(",%03d", n % 1000) s; n = int(n / 1000) }
        print n s }')
gazetteer="$out/acled-rows-$rows.csv"
zipf="$out/acled-places$nplaces-rows-$rows.csv"
scattered="$out/acled-scatter20-rows-$rows.csv"
[ -f "$gazetteer" ] ||
    "$build/tools/truce-gen-events" --layout acled-2023 --rows "$rows" --seed 2 -o "$gazetteer"
[ -f "$zipf" ] || "$build/tools/truce-gen-events" --layout acled-2023 --rows "$rows" --seed 2 \
    --places "$places" -o "$zipf"
[ -f "$scattered" ] || "$build/tools/truce-gen-events" --layout acled-2023 --rows "$rows" --seed 2 \
    --scatter 20 -o "$scattered"

# faster BEST NAME CMD...: run CMD once; print "WALL CPU" of that run or of
# BEST ("" at first), whichever took less wall-clock time.
faster() {
    b=$1 name=$2
    shift 2
    /usr/bin/time -f '%e %U %S' -o "$out/time.txt" "$@" >/dev/null 2>"$out/$name.err"
    r=$(awk '{printf "%.2f %.2f", $1, $2 + $3}' "$out/time.txt")
    if [ -z "$b" ] || [ "$(echo "${r%% *} < ${b%% *}" | bc)" -eq 1 ]; then b=$r; fi
    echo "$b"
}

show() {
    printf '%s\twall %s s\tcpu %s s\t%.0f events/s\n' "$1" "${2%% *}" "${2##* }" \
        "$(echo "$rows / ${2%% *}" | bc -l)"
}

# bench TAG HEADER CSV: the three commands on CSV, their lines and ratios.
bench() {
    tag=$1 csv=$3
    echo "== input: $2"
    echo "input: $csv, $(wc -c <"$csv") bytes, $rows events; $(getconf _NPROCESSORS_ONLN) CPUs online, load $(cut -d' ' -f1-3 /proc/loadavg)"
    # The three commands take turns, ROUNDS times (the best of each kept),
    # so that a slow spell of the machine (its speed moves by a third from
    # minute to minute here) falls on all three, not on one.
    ev= cl= c1=
    k=0
    while [ $k -lt "$rounds" ]; do
        ev=$(faster "$ev" "$tag.events" "$build/truce" events --agreement "$agreement" \
            -o /dev/null "$csv")
        cl=$(faster "$cl" "$tag.classify" "$build/truce" classify -f jsonl -o /dev/null \
            "$agreement" "$csv")
        c1=$(faster "$c1" "$tag.classify1" "$build/truce" classify -f jsonl --threads 1 \
            -o /dev/null "$agreement" "$csv")
        k=$((k + 1))
    done
    show truce.events "$ev"
    show truce.classify "$cl"
    show truce.classify.threads1 "$c1"
    printf 'ratio\tclassify / events speed, wall-clock\t%.3f\t(target >= 0.80)\n' \
        "$(echo "${ev%% *} / ${cl%% *}" | bc -l)"
    printf 'ratio\tclassify / events speed, CPU time\t%.3f\n' "$(echo "${ev##* } / ${cl##* }" | bc -l)"
    printf 'ratio\tclassify --threads 1 / events speed, wall-clock\t%.3f\n' \
        "$(echo "${ev%% *} / ${c1%% *}" | bc -l)"
    tail -n 1 "$out/$tag.classify.err"
}

bench gazetteer "gazetteer places (events on 22 places)" "$gazetteer"
bench places "gazetteer of $nplaces_text places (Zipf: a few places hold most events)" "$zipf"
bench scatter20 "scattered (every event its own coordinates, within 20 km of a place)" "$scattered"
