#!/bin/sh
# The curl examples of docs/server.md, run as written against a running
# truce serve (with $A, $URL, $TOKEN, admin.token and turkey.token as the
# page sets them up): each must succeed and answer JSON that is not a
# problem (or, for /metrics, Prometheus text).
# usage: sh test_serve_docs.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
cd "$tmp" || exit 1
"$truce" token add --db truce.db --role admin --name "ops desk" >admin.token
"$truce" token add --db truce.db --role party --party Turkey >turkey.token
serve_start truce.db "$A" || exit 1
URL=$url
TOKEN=$(cat admin.token)
export A URL TOKEN

# Each example: an indented block of the page that starts with "curl",
# up to the next blank line, in the page's order.
awk '
    /^    curl / { inblock = 1; n++ }
    inblock && /^$/ { inblock = 0 }
    inblock { sub(/^    /, ""); print > (dir "/example." sprintf("%02d", n)) }
' dir="$tmp" "$src/docs/server.md"
count=0
for ex in "$tmp"/example.*; do
    count=$((count + 1))
    if sh "$ex" >"$tmp/answer" 2>"$tmp/err" && [ -s "$tmp/answer" ] &&
        ! grep -q '"type":"about:blank"' "$tmp/answer" &&
        python3 -c 'import json,sys
text = open(sys.argv[1]).read()
if text.startswith("# HELP "):
    sys.exit(0)
try:
    json.loads(text)
except ValueError:
    [json.loads(l) for l in text.splitlines()]' "$tmp/answer" 2>/dev/null; then
        ok
    else
        bad "docs/server.md example $count failed: $(cat "$ex") => $(head -c 300 "$tmp/answer") $(cat "$tmp/err")"
    fi
done
[ $count -ge 8 ] && ok || bad "only $count curl examples found in docs/server.md"
serve_stop
echo "serve_docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
