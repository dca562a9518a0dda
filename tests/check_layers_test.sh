#!/bin/sh
# The layer check itself, on a small tree of two layers (low below high):
# it passes the tree as it is, and fails each bad change below, naming the
# file and line.  Without this, a check that stopped reading its table or
# its includes would pass everything, silently.
#   sh tests/check_layers_test.sh [SOURCE_DIR]
root=${1:-$(dirname "$0")/..}
check=$(cd "$root" && pwd)/tests/check_layers.sh
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0

# The good tree: every kind of include that is allowed.
good() {
  rm -rf "$tmp/t"
  mkdir -p "$tmp/t/src/low" "$tmp/t/src/high" "$tmp/t/include/truce" "$tmp/t/cli"
  cd "$tmp/t" || exit 1
  cat > src/README.md <<'EOF'
| layer | holds | owns |
| --- | --- | --- |
| `low` | the low things | `truce/types.h` |
| `high` | the high things | |
EOF
  echo 'May include: nothing.' > src/low/README.md
  echo 'May include: `low/`.' > src/high/README.md
  printf '#include "truce/types.h"\n' > include/truce/a.h
  printf '#include "truce/a.h"\n#include "truce/types.h"\n' > include/truce/b.h
  : > include/truce/types.h
  : > include/truce/version.h.in
  printf '#include "truce/a.h"\n#include "low/a_internal.h"\n#include "low/util.h"\n#include <stdio.h>\n' > src/low/a.c
  : > src/low/a_internal.h
  : > src/low/util.h
  printf '#include "truce/b.h"\n#include <truce/a.h>\n#include "low/util.h"\n#include "high/b.h"\n' > src/high/b.c
  printf '#include "low/util.h"\n' > src/high/b.h
  : > src/high/version.c
  printf '#include "cli.h"\n#include "truce/b.h"\n#include <stdlib.h>\n' > cli/main.c
  : > cli/cli.h
}

# expect NAME [MESSAGE]: the check passes the tree as it is, or, given
# MESSAGE, fails on it, saying MESSAGE.
expect() {
  out=$(sh "$check" "$tmp/t" 2>&1)
  rc=$?
  if [ $# -eq 1 ] && [ $rc -eq 0 ]; then
    echo "ok $1"
  elif [ $# -eq 2 ] && [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -qF -- "$2"; then
    echo "ok $1"
  else
    echo "FAIL $1: wanted ${2:+a failure saying: }${2:-a pass}" >&2
    printf '%s\n' "$out" | sed 's/^/  | /' >&2
    failures=$((failures + 1))
  fi
}

good
expect "the good tree passes"

good; printf '#include "high/b.h"\n' >> src/low/a.c
expect "a higher layer's internal header" 'src/low/a.c:5: includes "high/b.h" of layer high/, above low/'

good; printf '#include "truce/b.h"\n' >> src/low/a.c
expect "a higher layer's public header" 'src/low/a.c:5: includes truce/b.h of layer high/, above low/'

good; printf '#include "truce/b.h"\n' >> include/truce/a.h
expect "a public header including a higher one" 'include/truce/a.h:2: includes truce/b.h of layer high/, above low/'

good; printf '#include "low/a_internal.h"\n' >> src/high/b.c
expect "another folder's private header" 'src/high/b.c:5: includes "low/a_internal.h", private to low/'

good; printf '#include "util.h"\n' >> src/high/b.c
expect "an internal header by a bare name" 'src/high/b.c:5: includes "util.h": include an internal header by its path from src/ ("low/util.h")'

good; printf '#include "low/none.h"\n' >> src/high/b.c
expect "a header that is not there" 'src/high/b.c:5: includes "low/none.h": there is no src/low/none.h'

good; printf '#include "low/util.h"\n' >> cli/main.c
expect "cli/ reaching into src/" 'cli/main.c:4: includes "low/util.h": cli/ uses only the public API'

good; mkdir server; printf '#include "srv.h"\n#include "truce/a.h"\n#include "low/util.h"\n' > server/srv.c; : > server/srv.h
expect "server/ reaching into src/" 'server/srv.c:3: includes "low/util.h": server/ uses only the public API'

good; : > src/alloc.c
expect "a .c at the top of src/" 'src/alloc.c: at the top of src/'

good; mkdir src/high/sub; : > src/high/sub/x.c
expect "a nested folder" 'src/high/sub/x.c: in a nested folder'

good; mkdir src/store; echo 'May include: `low/`, `high/`.' > src/store/README.md
expect "a folder not in the table" 'src/store/: a folder that is not in the table'

good; echo '| `store` | stored things | |' >> src/README.md
expect "a row without a folder" 'src/README.md: layer `store` has no folder src/store/'

good; rm src/high/README.md
expect "a folder without a README" 'src/high/README.md: missing'

good; echo 'May include: nothing.' > src/high/README.md
expect "a README out of step with the table" 'src/high/README.md:1: "May include:" names none; the table (src/README.md) puts low/ below it'

good; : > include/truce/c.h
expect "a public header no layer owns" 'include/truce/c.h: no layer owns it'

good; sed -i '/`high`/d' src/README.md
expect "a table that lost a row" 'src/high/: a folder that is not in the table'

good; : > src/README.md
expect "no table at all" 'src/README.md: no table of layers'

if [ $failures -ne 0 ]; then
  echo "check_layers_test: $failures case(s) failed" >&2
  exit 1
fi
echo "check_layers_test: all cases as expected"
