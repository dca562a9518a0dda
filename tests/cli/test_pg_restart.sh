#!/bin/sh
# Durability of truce serve on PostgreSQL when the database server crashes
# (docs/server.md, "PostgreSQL"): four clients post reports at once while
# PostgreSQL is restarted with `pg_ctl restart -m immediate` (as a crash:
# no shutdown checkpoint), three times; truce serve keeps running and
# reconnects by itself.  Every report that got a 2xx answer must be stored
# exactly once, with its verdict; reports after the restarts are stored
# again.  Its own throw-away cluster (scripts/pg_cluster.sh); skipped (77)
# where PostgreSQL 15 is not installed.
# usage: sh test_pg_restart.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
. "$src/scripts/pg_cluster.sh"
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL 15 not installed: skipped"; exit 77; }
trap 'pg_cluster_stop; rm -rf "$tmp"' EXIT
pg_cluster_start 0 -c fsync=on || exit 1
$psql -c "CREATE DATABASE restart" || exit 1
db=$pg_url/restart
A=$src/data/idlib-2020/agreement.geojson
admin=$("$truce" token add --db "$db" --role admin)
clients=4
restarts=${TRUCE_PG_RESTARTS:-3}

# client N: post reports with ids cN-I until $tmp/stop exists; the ids
# answered 2xx go to $tmp/acked.N, the others (with their status) to
# $tmp/refused.
client() {
    _i=0
    while [ ! -e "$tmp/stop" ]; do
        _i=$((_i + 1))
        _id="c$1-$_i"
        _code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 \
            -H "Authorization: Bearer $admin" \
            -d "{\"id\":\"$_id\",\"start\":\"2020-03-0$((_i % 9 + 1))\",\"lon\":36.$((_i % 90 + 10)),\"lat\":35.8,\"event_type\":\"Battles\",\"actor1\":\"Military Forces of Syria\"}" \
            "$url/api/v1/reports")
        case $_code in
        2??) echo "$_id" >>"$tmp/acked.$1" ;;
        *) echo "$_id $_code" >>"$tmp/refused" ;;
        esac
    done
}

# acked: how many reports were acknowledged so far.
acked() {
    cat "$tmp"/acked.* 2>/dev/null | wc -l
}

serve_start "$db" "$A" || exit 1
n=1
while [ $n -le $clients ]; do
    client $n &
    n=$((n + 1))
done
r=1
while [ $r -le "$restarts" ]; do
    # some reports acknowledged since the last restart (at most 10 s)
    before=$(acked)
    w=0
    while [ $w -lt 200 ] && [ "$(acked)" -le $((before + 20)) ]; do
        sleep 0.05
        w=$((w + 1))
    done
    pg_cluster_restart || bad "restart $r of PostgreSQL failed"
    r=$((r + 1))
done
# reports acknowledged after the last restart: the server reconnected
before=$(acked)
w=0
while [ $w -lt 400 ] && [ "$(acked)" -le $((before + 20)) ]; do
    sleep 0.05
    w=$((w + 1))
done
[ "$(acked)" -gt $((before + 20)) ] && ok || bad "no reports acknowledged after the last restart"
touch "$tmp/stop"
wait_clients() {
    for p in $(jobs -p); do
        [ "$p" = "$spid" ] || wait "$p"
    done
}
wait_clients
kill -0 $spid 2>/dev/null && ok || bad "truce serve exited: $(tail -5 "$tmp/serve.log")"
serve_stop
[ "$sstatus" -eq 0 ] && ok || bad "truce serve exit status $sstatus"

cat "$tmp"/acked.* >"$tmp/acked" 2>/dev/null
total=$(wc -l <"$tmp/acked")
sort "$tmp/acked" >"$tmp/acked.sorted"
dbq "$db" "SELECT e.id FROM events e JOIN verdicts v ON v.event_seq = e.seq" | sort >"$tmp/stored"
missing=$(comm -23 "$tmp/acked.sorted" "$tmp/stored" | wc -l)
[ "$missing" -eq 0 ] && ok || bad "$missing acknowledged reports are missing: $(comm -23 "$tmp/acked.sorted" "$tmp/stored" | head -3)"
dups=$(dbq "$db" "SELECT count(*) FROM (SELECT event_seq FROM verdicts GROUP BY event_seq HAVING count(*) > 1) AS d")
[ "$dups" = 0 ] && ok || bad "$dups events have more than one verdict"
[ "$(sort -u "$tmp/acked" | wc -l)" -eq "$total" ] && ok || bad "a report acknowledged twice"
# the change feed holds each stored event's creation once, in order
[ "$(dbq "$db" "SELECT count(*) FROM changes WHERE kind = 'created'")" = \
  "$(dbq "$db" "SELECT count(*) FROM events")" ] && ok || bad "changes and events differ"
refused=$(cat "$tmp/refused" 2>/dev/null | wc -l)
[ "$refused" -eq 0 ] || echo "refused during the restarts (not acknowledged, so not counted): $(head -3 "$tmp/refused")"
echo "pg_restart: $restarts restarts, $total reports acknowledged, $refused refused, $(dbq "$db" 'SELECT count(*) FROM events') stored"
echo "pg_restart: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
