#!/bin/sh
# truce store copy and truce store checksum (docs/server.md): a store that
# truce serve filled (tokens, events with an idempotency key, reviews, a
# webhook) copied A -> B -> C has the same counts and checksums at each
# step, and truce serve on the copy answers GET /api/v1/events and each
# event's history as on the original, to the byte, with the original's
# tokens; a target that is not empty is refused and left as it was; a
# missing source is an error that creates nothing.
# usage: sh test_store_copy.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
E=$src/data/idlib-2020/events.geojson

# test_store NAME: the location of a scratch store named NAME (a SQLite
# file in $tmp).  The one place a run against another backend names its own
# stores instead: under tests/pg_run.sh (cli.test_store_copy.pg), B is a
# PostgreSQL database, so that A -> B -> C is SQLite -> PostgreSQL ->
# SQLite.
test_store() {
    if [ "$1" = b ] && [ -n "${TRUCE_TEST_PG:-}" ]; then store_db b; else echo "$tmp/$1.db"; fi
}

a=$(test_store a)
b=$(test_store b)
c=$(test_store c)
admin=$("$truce" token add --db "$a" --role admin)
russia=$("$truce" token add --db "$a" --role party --party Russia)
turkey=$("$truce" token add --db "$a" --role party --party Turkey)
gone=$("$truce" token add --db "$a" --role viewer --name gone)
"$truce" token revoke --db "$a" 4 >/dev/null
serve_start "$a" "$A" || exit 1
"$truce" events "$E" 2>/dev/null | head -6 >"$tmp/events.jsonl"
for i in 1 2 3 4 5 6; do
    sed -n "${i}p" "$tmp/events.jsonl" >"$tmp/one"
    req POST /api/v1/reports "$admin" -H "Idempotency-Key: k$i" --data-binary @"$tmp/one"
    want 201 "posting event $i"
    [ $i -eq 1 ] && cp "$tmp/body" "$tmp/first"
done
ids=$(cut -c1-200 "$tmp/events.jsonl" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
id1=$(echo "$ids" | sed -n 1p)
id2=$(echo "$ids" | sed -n 2p)
req POST "/api/v1/events/$id1/reviews" "$russia" -d '{"action":"confirm"}'
want 201 "Russia confirms"
req POST "/api/v1/events/$id2/reviews" "$turkey" -d '{"action":"dispute","note":"not ours"}'
want 201 "Turkey disputes"
req POST /api/v1/webhooks "$admin" -d '{"url":"http://127.0.0.1:9/h","secret":"s3cret"}'
want 201 "a webhook"

# What a server answers: the listing and each event with its histories.
answers() { # OUT-FILE
    : >"$1"
    req GET "/api/v1/events?limit=100" "$admin"
    want 200 "GET /api/v1/events"
    cat "$tmp/body" >>"$1"
    for id in $ids; do
        req GET "/api/v1/events/$id" "$admin"
        want 200 "GET /api/v1/events/$id"
        cat "$tmp/body" >>"$1"
    done
}
answers "$tmp/answers.a"
grep -q '"dispute"' "$tmp/answers.a" && ok || bad "the original has no dispute"
serve_stop

# A -> B -> C: each copy prints equal counts and checksums, and exits 0.
same_columns() { # FILE: every line's second and third fields equal
    awk -F'\t' 'NR == 1 { next } $2 != $3 || NF != 3 { bad = 1 } END { exit bad || NR < 14 }' "$1"
}
status 0 "$truce" store copy "$a" "$b"
head -1 "$tmp/out" | grep -q '^table	from	to$' && ok || bad "copy: no header: $(cat "$tmp/out")"
same_columns "$tmp/out" && ok || bad "copy A B: $(cat "$tmp/out")"
grep -q '^events	6	6$' "$tmp/out" && grep -q '^reviews	2	2$' "$tmp/out" &&
    grep -q '^tokens	4	4$' "$tmp/out" && grep -q '^idempotency	6	6$' "$tmp/out" &&
    grep -q '^webhooks	1	1$' "$tmp/out" && ok || bad "copy A B counts: $(cat "$tmp/out")"
grep -q 'counts and checksums equal' "$tmp/err" && ok || bad "copy: $(cat "$tmp/err")"
status 0 "$truce" store copy "$b" "sqlite:$c"
same_columns "$tmp/out" && ok || bad "copy B C: $(cat "$tmp/out")"
status 0 "$truce" store checksum "$a"
cp "$tmp/out" "$tmp/sum.a"
grep -q '^history_sha256	[0-9a-f]\{64\}$' "$tmp/sum.a" && ok || bad "checksum: $(cat "$tmp/sum.a")"
status 0 "$truce" store checksum "$c"
cmp -s "$tmp/sum.a" "$tmp/out" && ok || bad "checksums of A and C differ"

# The copy serves the same answers, to the original's tokens; a revoked
# token stays revoked; a copied idempotency key answers a retry as stored.
serve_start "$c" "$A" || exit 1
answers "$tmp/answers.c"
cmp -s "$tmp/answers.a" "$tmp/answers.c" && ok || bad "C answers otherwise than A"
req GET /api/v1/events "$gone"
want 401 "a revoked token on the copy"
sed -n 1p "$tmp/events.jsonl" >"$tmp/one"
req POST /api/v1/reports "$admin" -H "Idempotency-Key: k1" --data-binary @"$tmp/one"
want 201 "a retry of a copied idempotency key"
cmp -s "$tmp/body" "$tmp/first" && ok || bad "the retry's answer on the copy differs"
sed -n 2p "$tmp/events.jsonl" >"$tmp/one"
req POST /api/v1/reports "$admin" -H "Idempotency-Key: k1" --data-binary @"$tmp/one"
want 422 "a copied key with another request"
serve_stop
status 0 "$truce" store checksum "$c"
cmp -s "$tmp/sum.a" "$tmp/out" && ok || bad "a replayed retry changed the copy"

# A target that is not empty is refused, and left as it was.
status 1 "$truce" store copy "$a" "$c"
grep -q "truce store: copy .*: the target store is not empty (table tokens holds 4 rows)" "$tmp/err" &&
    ok || bad "non-empty target: $(cat "$tmp/err")"
status 0 "$truce" store checksum "$c"
cmp -s "$tmp/sum.a" "$tmp/out" && ok || bad "a refused copy changed the target"

# A source that does not exist: an I/O error, and no target made.
status 4 "$truce" store copy "$(test_store nope)" "$(test_store d)"
grep -q "truce store: .*nope.db: no such store" "$tmp/err" && ok || bad "missing source: $(cat "$tmp/err")"
[ ! -e "$(test_store d)" ] && ok || bad "a target was made for a missing source"
status 4 "$truce" store checksum "$(test_store nope)"

# The command line.
status 2 "$truce" store copy "$a"
status 2 "$truce" store move "$a" "$b"
status 2 "$truce" store
status 0 "$truce" store --help
grep -q "usage: truce store copy FROM TO" "$tmp/out" && ok || bad "store --help"

echo "store_copy: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
