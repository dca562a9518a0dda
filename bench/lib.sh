# What the bench scripts share; sourced after `set -eu` with build (the
# build directory) and here (this directory) set.  Sets src (the source
# tree), truce, gen (the event generator), agreement (the bundled Idlib
# agreement) and bench_name (the script's name, for its messages).
src=$(dirname "$here")
truce=$build/truce
gen=$build/tools/truce-gen-events
agreement=$src/data/idlib-2020/agreement.geojson
bench_name=$(basename "$0")

# bench_built FILE...: stop unless each FILE is built.
bench_built() {
    for f; do
        [ -x "$f" ] || { echo "$bench_name: $f not built (build $build first)" >&2; exit 1; }
    done
}

# bench_installed COMMAND...: stop unless each COMMAND is installed.
bench_installed() {
    for c; do
        command -v "$c" >/dev/null 2>&1 || {
            echo "$bench_name: $c not installed (sh scripts/setup.sh scripts/packages-bench.txt)" >&2
            exit 1
        }
    done
}

# bench_listening PID LOG: wait (at most 60 s: a large store may migrate first) for the "listening" line that
# truce serve (process PID, its stderr in LOG) writes; its port in $port.
# Stops, showing LOG, when the server exits or does not start in time.
# Empty LOG before starting the server: the shell may look before the
# server's redirection truncates it, and find an earlier run's port.
bench_listening() {
    port=
    _i=0
    while [ $_i -lt 1200 ]; do
        port=$(sed -n 's/.*"msg":"listening","listen":"127\.0\.0\.1:\([0-9]*\)".*/\1/p' "$2")
        [ -n "$port" ] && return 0
        kill -0 "$1" 2>/dev/null || break
        sleep 0.05
        _i=$((_i + 1))
    done
    echo "$bench_name: truce serve did not start:" >&2
    cat "$2" >&2
    exit 1
}
