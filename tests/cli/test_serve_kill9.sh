#!/bin/sh
# Durability of truce serve (docs/server.md, "Durability"): four clients
# post reports at once; the server is killed with SIGKILL at a random
# moment and started again on the same store; every report that got a 2xx
# answer must be stored exactly once, with its verdict, and the store must
# pass PRAGMA integrity_check.  Twenty rounds, each killed at another
# moment.  Traffic goes to 127.0.0.1 only.
# usage: sh test_serve_kill9.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
db=$(store_db k)
admin=$("$truce" token add --db "$db" --role admin)
rounds=${TRUCE_KILL9_ROUNDS:-20}
clients=4

# A number in [0, $1) from the kernel's randomness.
random_below() {
    echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1 ))
}

# client N ROUND: post reports with ids cN-rROUND-I until the server is
# gone; the ids answered 2xx go to $tmp/acked.N, one per line.
client() {
    _i=0
    while :; do
        _i=$((_i + 1))
        _id="c$1-r$2-$_i"
        _code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
            -H "Authorization: Bearer $admin" \
            -d "{\"id\":\"$_id\",\"start\":\"2020-03-0$((_i % 9 + 1))\",\"lon\":36.$((_i % 90 + 10)),\"lat\":35.8,\"event_type\":\"Battles\",\"actor1\":\"Military Forces of Syria\"}" \
            "$url/api/v1/reports")
        case $_code in
        2??) echo "$_id" >>"$tmp/acked.$1" ;;
        000) break ;;
        *) echo "$_id $_code" >>"$tmp/refused" ;;
        esac
    done
}

start=$(date +%s)
round=1
while [ $round -le "$rounds" ]; do
    serve_start "$db" "$A" || { bad "round $round: the server did not start"; break; }
    n=1
    while [ $n -le $clients ]; do
        client $n $round &
        n=$((n + 1))
    done
    # Once the round's first report is acknowledged (at most 5 s; a
    # sanitizer build judges slowly), kill at a random moment 0 to 400 ms on.
    w=0
    while [ $w -lt 100 ] && ! grep -qs -- "-r$round-" "$tmp"/acked.*; do
        sleep 0.05
        w=$((w + 1))
    done
    sleep "$(printf '0.%03d' "$(random_below 400)")"
    kill -9 $spid
    wait
    round=$((round + 1))
done

# Restarted on the same store: every acknowledged report is there once,
# with its verdict, and readable through the server.
cat "$tmp"/acked.* >"$tmp/acked" 2>/dev/null
acked=$(wc -l <"$tmp/acked")
[ "$acked" -ge "$rounds" ] && ok || bad "only $acked reports were acknowledged in $rounds rounds"
[ ! -s "$tmp/refused" ] && ok || bad "answers other than 2xx: $(head -3 "$tmp/refused")"
sort "$tmp/acked" >"$tmp/acked.sorted"
dbq "$db" "SELECT e.id FROM events e JOIN verdicts v ON v.event_seq = e.seq
               WHERE v.record LIKE '%\"violation\":\"violation\"%'
               OR v.record LIKE '%\"violation\":\"possible\"%'
               OR v.record LIKE '%\"violation\":\"none\"%'" | sort >"$tmp/stored"
missing=$(comm -23 "$tmp/acked.sorted" "$tmp/stored" | wc -l)
[ "$missing" -eq 0 ] && ok || bad "$missing acknowledged reports are missing or have no verdict: $(comm -23 "$tmp/acked.sorted" "$tmp/stored" | head -3)"
dups=$(dbq "$db" "SELECT count(*) FROM (SELECT event_seq FROM verdicts GROUP BY event_seq HAVING count(*) > 1) AS d")
[ "$dups" = 0 ] && ok || bad "$dups events have more than one verdict"
if sqlite_only "$db" "PRAGMA integrity_check"; then
    [ "$(dbq "$db" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity_check failed"
fi
serve_start "$db" "$A" || exit 1
some=$(sed -n "$(( $(random_below "$acked") + 1 ))p" "$tmp/acked")
req GET "/api/v1/events/$some" "$admin"
want 200 "an acknowledged report after the restarts"
json 'b["status"] == "submitted" and "violation" in b' && ok || bad "$some: $(cat "$tmp/body")"
serve_stop
if sqlite_only "$db" "PRAGMA integrity_check"; then
    [ "$(dbq "$db" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity_check after the last stop"
fi
echo "kill9: $rounds rounds, $acked reports acknowledged, $(dbq "$db" 'SELECT count(*) FROM events') stored, $(( $(date +%s) - start )) s"

echo "serve_kill9: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
