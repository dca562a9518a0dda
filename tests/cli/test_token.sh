#!/bin/sh
# truce token add/list/revoke (docs/cli.md, "truce token"): add prints the
# token as the only line on stdout and the store keeps only its SHA-256;
# list never shows a token; revoke works once; bad roles and parties are
# usage errors.
# usage: sh test_token.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
db=$tmp/t.db

status 0 "$truce" token add --db "$db" --role admin --name "ops desk"
admin=$(cat "$tmp/out")
[ "$(wc -l <"$tmp/out")" -eq 1 ] && [ ! -s "$tmp/err" ] && ok || bad "add: not one line on stdout"
printf '%s\n' "$admin" | grep -qE '^[0-9a-f]{64}$' && ok || bad "add: not 64 hex digits: $admin"
status 0 "$truce" token add --db "$db" --role party --party Turkey
turkey=$(cat "$tmp/out")
[ "$admin" != "$turkey" ] && ok || bad "two tokens alike"

# Only digests are stored: neither token is anywhere in the store's files.
if grep -qF "$admin" "$db"* || grep -qF "$turkey" "$db"*; then bad "a token is in the store"; else ok; fi
sha=$(printf '%s' "$admin" | sha256sum | cut -d' ' -f1)
[ "$(sqlite3 "$db" "SELECT lower(hex(sha256)) FROM tokens WHERE id = 1")" = "$sha" ] && ok ||
    bad "the stored digest is not the token's SHA-256"

status 0 "$truce" token list --db "$db"
grep -qP '^1\tadmin\t-\tops desk\t\d{4}-\d\d-\d\dT[^\t]*Z\t-$' "$tmp/out" && ok || bad "list: admin line"
grep -qP '^2\tparty\tTurkey\t-\t' "$tmp/out" && ok || bad "list: party line"
if grep -qF "$admin" "$tmp/out" "$tmp/err"; then bad "list shows a token"; else ok; fi

status 0 "$truce" token revoke --db "$db" 2
status 0 "$truce" token list --db "$db"
grep -qP '^2\tparty\tTurkey\t-\t\S+\t\d{4}-' "$tmp/out" && ok || bad "list: revoked time"
status 1 "$truce" token revoke --db "$db" 2
grep -qF "truce token: revoke: no valid token number 2" "$tmp/err" && ok || bad "revoke twice"
status 1 "$truce" token revoke --db "$db" 99

# Usage errors: nothing is written to the store.
status 2 "$truce" token add --db "$db" --role king
grep -qF -- "--role: expected admin, party, reporter or viewer" "$tmp/err" && ok || bad "bad role"
status 2 "$truce" token add --db "$db" --role party
grep -qF -- "a party token needs the party" "$tmp/err" && ok || bad "party without --party"
status 2 "$truce" token add --db "$db" --role viewer --party Russia
status 2 "$truce" token add --db "$db" --role viewer --name "$(printf 'a\tb')"
status 2 "$truce" token revoke --db "$db" x
status 2 "$truce" token frobnicate --db "$db"
[ "$(sqlite3 "$db" "SELECT count(*) FROM tokens")" = 2 ] && ok || bad "a refused add wrote a token"

# Not a store: an I/O error naming the file.
printf 'not a database at all, not at all, not at all, not at all, not at all.....\n' >"$tmp/x.db"
status 4 "$truce" token list --db "$tmp/x.db"
grep -qF "truce token: $tmp/x.db: " "$tmp/err" && ok || bad "not a store: message"

echo "token: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
