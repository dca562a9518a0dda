# Sourced by CLI tests (`. "$2/tests/cli/lib.sh"`, the test's arguments
# being the truce binary and the source tree): $truce and $src, those two
# made absolute (commands may run from elsewhere); $gen, the event generator
# built beside truce; a scratch directory $tmp removed on exit, the
# pass/fail counters with ok and bad, status WANT CMD... which runs CMD with
# its output in $tmp/out and $tmp/err and checks its exit status, and
# expect (below) for $truce.
truce=$1
src=$2
case $truce in /*) ;; *) truce=$(pwd)/$truce ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
gen=$(dirname "$truce")/tools/truce-gen-events
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
status() {
    want=$1; shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] && ok || { bad "$*: exit $got, expected $want"; cat "$tmp/err" >&2; }
}

# expect STATUS "ARGS" PATTERN... : run $truce with ARGS (word-split) from
# $rundir (default $tmp), output in $out and $err; compare the status, grep
# stdout+stderr for each pattern.
out=$tmp/out
err=$tmp/err
expect() {
    want=$1; args=$2; shift 2
    # shellcheck disable=SC2086
    (cd "${rundir:-$tmp}" && "$truce" $args) >"$out" 2>"$err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        bad "truce $args: exit $got, expected $want"; cat "$err" >&2; return
    fi
    for pat in "$@"; do
        if ! grep -qF -- "$pat" "$out" "$err"; then
            bad "truce $args: output lacks '$pat'"; cat "$out" "$err" >&2; return
        fi
    done
    ok
}

# need_browser: $browser is Chromium ($CHROMIUM, or the first of chromium,
# chromium-browser, google-chrome on PATH); without one the test exits 77
# (ctest: skipped).  scripts/packages.txt lists chromium.
need_browser() {
    browser=${CHROMIUM:-}
    for _b in chromium chromium-browser google-chrome; do
        [ -n "$browser" ] && break
        command -v "$_b" >/dev/null 2>&1 && browser=$_b
    done
    if [ -z "$browser" ]; then
        echo "SKIP: no chromium on PATH (Debian package chromium, in scripts/packages.txt: make setup)"
        exit 77
    fi
}
