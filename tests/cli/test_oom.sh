#!/bin/sh
# Out of memory in the command: truce-oom (the truce command with
# tests/cli/fail_alloc.c, built for tests only) fails allocation N of the
# library's (TRUCE_TEST_FAIL_ALLOC=N).  For N = 1, 1 + STRIDE, ... up to the
# count of a clean run, classify of a small file must exit 1 with
# "truce classify: ...: out of memory" on stderr: never a signal, never
# another status (and, in the sanitizer build, never a leak, which
# LeakSanitizer would turn into exit 23).  A run may instead end as the clean
# one does (exit 3, the same verdicts) where a failure is recovered from:
# the corridor index's shrinking realloc.  The unit test test_oom fails every
# allocation of the same paths; this checks that the command says so.
# STRIDE is TRUCE_OOM_STRIDE, 4 by default (1 checks each allocation).
# usage: sh test_oom.sh TRUCE_BINARY SOURCE_DIR  (TRUCE_OOM: truce-oom)
set -u
. "$2/tests/cli/lib.sh"
oom=${TRUCE_OOM:-$(dirname "$truce")/tests/truce-oom}
[ -x "$oom" ] || { echo "test_oom: no truce-oom at $oom" >&2; exit 1; }
a=$src/tests/data/agreements/good_minimal.json
ev=$src/tests/data/oom/events.geojson
stride=${TRUCE_OOM_STRIDE:-4}

# The clean run: its output, and how many allocations it makes.  The file
# has a rejected row, so that its path is taken too: exit status 3.
TRUCE_TEST_COUNT_ALLOC=1 "$oom" classify --threads 1 "$a" "$ev" >"$tmp/clean" 2>"$tmp/err"
got=$?
[ "$got" -eq 3 ] && ok || { bad "clean run: exit $got, expected 3"; cat "$tmp/err" >&2; }
n=$(sed -n 's/^truce-oom: \([0-9]*\) allocations$/\1/p' "$tmp/err")
[ "${n:-0}" -gt 100 ] && ok || bad "clean run: ${n:-no} allocations counted"
"$truce" classify --threads 1 "$a" "$ev" 2>/dev/null | cmp -s - "$tmp/clean" && ok ||
    bad "truce-oom's clean output differs from truce's"

# run N THREADS: classify with allocation N failing.
run() {
    TRUCE_TEST_FAIL_ALLOC=$1 "$oom" classify --threads "$2" "$a" "$ev" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 3 ] && cmp -s "$tmp/out" "$tmp/clean"; then
        recovered=$((recovered + 1)) # a failed shrink keeps the larger block
    elif [ "$got" -ne 1 ]; then
        bad "allocation $1 failing, $2 threads: exit $got, expected 1"
        cat "$tmp/err" >&2
    elif ! grep -q '^truce classify: .*out of memory$' "$tmp/err"; then
        bad "allocation $1 failing, $2 threads: no 'out of memory' message"
        cat "$tmp/err" >&2
    else
        failed=$((failed + 1))
    fi
}

failed=0
recovered=0
k=1
while [ "$k" -le "${n:-0}" ]; do
    run "$k" 1
    k=$((k + stride))
done
# With judging threads the order of allocations varies; each run must still
# end the same way.
for k in 40 120 240 360 480; do
    [ "$k" -le "${n:-0}" ] && run "$k" 3
done
[ "$failed" -gt 0 ] && ok || bad "no run failed"
echo "test_oom: $n allocations; $failed runs out of memory, $recovered recovered"

echo "test_oom: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
