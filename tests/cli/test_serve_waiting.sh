#!/bin/sh
# Reports wait for their commit on a suspended connection (docs/server.md,
# "Durability"): many at once are each answered once stored; a client that
# leaves while its report waits costs nothing (the report is stored or not,
# never half, and the server goes on); SIGTERM with reports waiting answers
# them before it stops.  Traffic goes to 127.0.0.1 only.
# usage: sh test_serve_waiting.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
db=$(store_db w)
admin=$("$truce" token add --db "$db" --role admin)

# burst PREFIX N LEAVE: N connections each post report PREFIX-I at once; the
# first LEAVE of them close at once (reset), the others read their answers.
# Prints, one per line, "I STATUS" for each answer read.
burst() {
    python3 - "$url" "$admin" "$1" "$2" "$3" <<'PY'
import socket, struct, sys
url, token, prefix, n, leave = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
host, port = url[len("http://"):].split(":")
socks = []
for i in range(n):
    body = ('{"id":"%s-%d","start":"2020-03-07","lon":36.6,"lat":35.8,'
            '"event_type":"Battles","actor1":"Military Forces of Syria"}' % (prefix, i)).encode()
    s = socket.create_connection((host, int(port)), timeout=20)
    s.sendall(b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
              token.encode() + b"\r\nContent-Type: application/json\r\nContent-Length: " +
              str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
    socks.append(s)
for i, s in enumerate(socks[:leave]):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
for i, s in enumerate(socks[leave:], leave):
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    line = data.split(b"\r\n", 1)[0].decode(errors="replace")
    print(i, line.split(" ")[1] if line.startswith("HTTP/1.1 ") else "none")
    s.close()
PY
}

count() {
    dbq "$db" "SELECT count(*) FROM events e JOIN verdicts v ON v.event_seq = e.seq WHERE e.id LIKE '$1-%'"
}

serve_start "$db" "$A" --threads 2 || exit 1

# 1. 64 reports at once on 2 request threads: every one answered 201.
burst all 64 0 >"$tmp/all"
n201=$(grep -c ' 201$' "$tmp/all")
[ "$n201" -eq 64 ] && ok || bad "64 reports at once: $n201 answered 201: $(sort "$tmp/all" | uniq -c -f1 | head)"
[ "$(count all)" -eq 64 ] && ok || bad "64 reports at once: $(count all) stored with a verdict"

# 2. Half the clients leave while their reports wait: the others are
# answered, every answered report is stored, at most the 64 are.
burst gone 64 32 >"$tmp/gone"
n201=$(grep -c ' 201$' "$tmp/gone")
[ "$n201" -eq 32 ] && ok || bad "clients that stayed: $n201 of 32 answered 201"
stored=$(count gone)
[ "$stored" -ge 32 ] && [ "$stored" -le 64 ] && ok || bad "clients leaving: $stored stored"
for i in $(awk '$2 == 201 { print $1 }' "$tmp/gone"); do
    [ "$(dbq "$db" "SELECT count(*) FROM events WHERE id = 'gone-$i'")" = 1 ] ||
        bad "gone-$i answered 201 but not stored"
done
ok
req GET /healthz ""
want 200 "the server goes on after clients left"

# 3. SIGTERM while reports wait: those answered are stored; it exits 0.
burst term 48 0 >"$tmp/term" &
bpid=$!
sleep 0.2
serve_stop
wait $bpid
[ "$sstatus" -eq 0 ] && ok || bad "SIGTERM with reports waiting: exit $sstatus: $(tail -3 "$tmp/serve.log")"
for i in $(awk '$2 ~ /^2/ { print $1 }' "$tmp/term"); do
    [ "$(dbq "$db" "SELECT count(*) FROM events WHERE id = 'term-$i'")" = 1 ] ||
        bad "term-$i answered 2xx but not stored"
done
if sqlite_only "$db" "PRAGMA integrity_check"; then
    [ "$(dbq "$db" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity_check after SIGTERM"
fi
echo "serve_waiting: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
