#!/bin/sh
# Event ingest throughput: truce events against GDAL's ogr2ogr on the same
# generated ACLED-layout CSV (docs/performance.md, "Event ingest").
# usage: sh bench/bench_events.sh BUILD_DIR [MEGABYTES]   (default 210)
# Needs gdal-bin (ogr2ogr) and GNU time.  Prints CPU (user+sys) seconds and
# MB/s for each tool; one core each, run one after the other.
set -eu
build=$1
mb=${2:-210}
out=${BENCH_OUT:-$(dirname "$0")/out}
mkdir -p "$out"
csv="$out/acled-$mb.csv"
if [ ! -f "$csv" ]; then
    "$build/tools/truce-gen-events" --layout acled-2023 --bytes $((mb * 1000000)) --seed 1 -o "$csv"
fi
bytes=$(wc -c <"$csv")
echo "input: $csv, $bytes bytes, $(($(wc -l <"$csv") - 1)) lines"

run() {
    name=$1
    shift
    /usr/bin/time -f '%U %S %e' -o "$out/time.txt" "$@" >/dev/null 2>"$out/$name.err"
    set -- $(cat "$out/time.txt")
    cpu=$(echo "$1 + $2" | bc)
    echo "$name: cpu ${cpu} s (user $1, sys $2), wall $3 s, $(echo "scale=1; $bytes / 1000000 / $cpu" | bc) MB/s"
    echo "$cpu" >"$out/$name.cpu"
}

for i in 1 2 3; do
    run "truce-events-jsonl-$i" "$build/truce" events -o /dev/null "$csv"
done
run "truce-events-csv" "$build/truce" events --output-format csv -o /dev/null "$csv"
if command -v ogr2ogr >/dev/null 2>&1; then
    rm -f "$out/ogr.geojson"
    run "ogr2ogr-geojson" ogr2ogr -f GeoJSON "$out/ogr.geojson" "$csv" \
        -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -oo KEEP_GEOM_COLUMNS=NO
    best=$(sort -n "$out"/truce-events-jsonl-*.cpu | head -n 1)
    echo "ogr2ogr / truce events (CPU): $(echo "scale=1; $(cat "$out/ogr2ogr-geojson.cpu") / $best" | bc)x"
    rm -f "$out/ogr.geojson"
fi
