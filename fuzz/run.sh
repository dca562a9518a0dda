#!/bin/sh
# Run every libFuzzer target in BUILD for SECONDS each, starting from (and
# adding to) its corpus in fuzz/corpus/<name>/.  Findings are left as
# crash-*/leak-*/timeout-* files in fuzz/findings/<name>/.
set -eu
build=$1
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
status=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
for bin in "$build"/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin" | sed 's/^fuzz_//')
  mkdir -p "$here/findings/$name"
  # New inputs go to a scratch corpus; the committed corpus only seeds it.
  # Minimise into fuzz/corpus/<name>/ by hand (-merge=1) when a run finds new coverage.
  scratch=$(mktemp -d)
  echo "fuzz: $name for ${seconds}s" >&2
  if ! "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
       -artifact_prefix="$here/findings/$name/" "$scratch" "$here/corpus/$name" \
       >"$build/fuzz_$name.log" 2>&1; then
    echo "fuzz: $name FAILED; see $build/fuzz_$name.log" >&2
    tail -n 30 "$build/fuzz_$name.log" >&2
    status=1
  else
    grep -E '^#[0-9]+.*DONE' "$build/fuzz_$name.log" | tail -n 1 >&2 || true
  fi
  rm -rf "$scratch"
done
exit $status
