# Sourced by CLI tests: a scratch directory $tmp removed on exit, the
# pass/fail counters with ok and bad, and status WANT CMD... which runs CMD
# with its output in $tmp/out and $tmp/err and checks its exit status.
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
