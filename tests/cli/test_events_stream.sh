#!/bin/sh
# Streaming: truce events holds one row at a time, so its peak memory must
# not grow with the number of rows.  Compares the maximum resident set of a
# small and a large run (GNU time's %M) on generated input piped in:
#   ACLED CSV, 10,000 vs 200,000 rows, ids not checked: growth < 4 MB
#   GeoJSON, 10,000 vs 1,000,000 features, ids not checked: growth < 4 MB
#   GeoJSON, 1,000,000 features with the seen-id set: growth < 56 MB
#     (idset.h: 2^21 slots of 16 bytes = 32 MB held, 48 MB while doubling)
# Under ASan (ASAN_OPTIONS set by `make test-asan`) resident memory measures
# the sanitizer's quarantine, not truce: only the row counts are checked,
# on smaller inputs.
# usage: sh test_events_stream.sh TRUCE_BINARY SOURCE_DIR
set -eu
. "$2/tests/cli/lib.sh"
work=$tmp
cd "$work"
fail=0
measure=1
if [ -n "${ASAN_OPTIONS:-}" ] || [ ! -x /usr/bin/time ]; then
    measure=0
fi

# peak LAYOUT ROWS [truce options...]: prints the max RSS in KB, checks the count.
peak() {
    layout=$1
    rows=$2
    shift 2
    "$gen" --layout "$layout" --rows "$rows" --seed 9 --multiline 0 |
        /usr/bin/time -f '%M' -o rss.txt "$truce" events "$@" - >/dev/null 2>err.txt || true
    if ! grep -q "read $rows, accepted $rows, rejected 0" err.txt; then
        echo "FAIL: $layout $rows rows: $(tail -n 1 err.txt)" >&2
        fail=1
    fi
    tail -n 1 rss.txt
}

if [ "$measure" -eq 0 ]; then
    peak acled-2023 20000 --no-id-check >/dev/null
    peak geojson 50000 >/dev/null
    [ "$fail" -eq 0 ] || exit 1
    echo "test_events_stream: counts checked (memory not measured under ASan)"
    exit 0
fi

grows() {
    name=$1 small=$2 large=$3 limit_kb=$4
    echo "$name: max RSS $small KB -> $large KB"
    if [ $((large - small)) -ge "$limit_kb" ]; then
        echo "FAIL: $name grew by $((large - small)) KB (limit $limit_kb KB)"
        fail=1
    fi
}

a1=$(peak acled-2023 10000 --no-id-check)
a2=$(peak acled-2023 200000 --no-id-check)
grows "ACLED 10k -> 200k rows" "$a1" "$a2" 4096
g1=$(peak geojson 10000 --no-id-check)
g2=$(peak geojson 1000000 --no-id-check)
grows "GeoJSON 10k -> 1M features" "$g1" "$g2" 4096
g3=$(peak geojson 1000000)
grows "GeoJSON 10k -> 1M features, ids checked" "$g1" "$g3" 57344

[ "$fail" -eq 0 ] || exit 1
echo "test_events_stream: memory constant in the number of rows"
