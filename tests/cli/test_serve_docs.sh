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
db=$(store_db truce)
"$truce" token add --db "$db" --role admin --name "ops desk" >admin.token
"$truce" token add --db "$db" --role party --party Turkey >turkey.token
serve_start "$db" "$A" || exit 1
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

# Backup and restore as the page writes them: the sqlite3 blocks, the
# backup while the server runs (a report posted after it is not in it),
# the restore into the stopped store, which then serves what the backup
# held and not what came later.
awk '
    /^    sqlite3 / { if (!inblock) n++; inblock = 1 }
    inblock && /^$/ { inblock = 0 }
    inblock { sub(/^    /, ""); print > (dir "/store." n) }
' dir="$tmp" "$src/docs/server.md"
backup=$(grep -l '\.backup ' "$tmp"/store.* 2>/dev/null | head -1)
restore=$(grep -l '\.restore ' "$tmp"/store.* 2>/dev/null | head -1)
if ! sqlite_only "$db" "the sqlite3 backup and restore of docs/server.md"; then
    :
elif [ -n "$backup" ] && [ -n "$restore" ]; then
    sh "$backup" >"$tmp/answer" 2>&1 && [ "$(tail -1 "$tmp/answer")" = ok ] && ok ||
        bad "docs/server.md backup failed: $(cat "$backup") => $(cat "$tmp/answer")"
    req POST /api/v1/reports "$TOKEN" -d '{"id":"after-backup","start":"2020-03-09","lon":36.6,"lat":35.9}'
    want 201 "a report after the backup"
    serve_stop
    sh "$restore" >"$tmp/answer" 2>&1 && ok ||
        bad "docs/server.md restore failed: $(cat "$restore") => $(cat "$tmp/answer")"
    serve_start "$db" "$A" || exit 1
    req GET /api/v1/events/r-1 "$TOKEN"
    want 200 "a report of the backup, after the restore"
    req GET /api/v1/events/after-backup "$TOKEN"
    want 404 "a report made after the backup, after the restore"
else
    bad "no sqlite3 .backup and .restore blocks in docs/server.md"
fi
serve_stop
echo "serve_docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
