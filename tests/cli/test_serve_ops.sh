#!/bin/sh
# truce serve in operation: TLS with a throw-away self-signed certificate,
# the idle and body timeout (a slow-loris client), the connection limit and
# the per-token rate limit.  127.0.0.1 only, bounded in time.
# usage: sh test_serve_ops.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
db=$(store_db ops)
admin=$("$truce" token add --db "$db" --role admin)
other=$("$truce" token add --db "$db" --role viewer)

# ---- TLS ----
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
    2>/dev/null || bad "openssl could not make a certificate"
serve_start "$db" "$A" --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" || exit 1
url=$(echo "$url" | sed 's/^http:/https:/')
req GET /healthz "" --cacert "$tmp/cert.pem"
want 200 "healthz over TLS"
req POST /api/v1/reports "$admin" --cacert "$tmp/cert.pem" \
    -d '{"id":"tls-1","start":"2020-03-07","lon":36.63,"lat":35.93,"event_type":"Battles"}'
want 201 "a report over TLS"
# a client that does not trust the certificate, and plain HTTP, get nothing
curl -s -o /dev/null "$url/healthz" && bad "curl without --cacert trusted the certificate" || ok
plain=$(echo "$url" | sed 's/^https:/http:/')
[ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$plain/healthz")" = 200 ] &&
    bad "plain HTTP answered on the TLS port" || ok
serve_stop

# both or neither; a file that cannot be read is named (exit 4, as other I/O)
status 2 "$truce" serve --db "$db" --tls-cert "$tmp/cert.pem" "$A"
grep -qF -- "--tls-cert and --tls-key go together" "$tmp/err" && ok || bad "lone --tls-cert: $(cat "$tmp/err")"
status 4 "$truce" serve --db "$db" --listen 127.0.0.1:0 --tls-cert "$tmp/cert.pem" \
    --tls-key "$tmp/missing.pem" "$A"
grep -qF -- "--tls-key $tmp/missing.pem: No such file or directory" "$tmp/err" && ok ||
    bad "unreadable key: $(cat "$tmp/err")"
status 4 "$truce" serve --db "$db" --listen 127.0.0.1:0 --tls-cert "$A" --tls-key "$tmp/key.pem" "$A"
grep -qF -- "--tls-cert, --tls-key: TLS cannot start with them" "$tmp/err" && ok ||
    bad "a certificate that is not PEM: $(cat "$tmp/err")"

# ---- timeout and connection limit ----
# Three connections that send half a request and stall fill
# --max-connections 3; a fourth is closed at once, unanswered; the stalled
# ones are cut off after --timeout 2; then a request is served again (once
# the server has freed their slots).  A
# body trickled in below the idle timeout is cut off once the request has
# taken longer than the timeout.
serve_start "$db" "$A" --timeout 2 --max-connections 3 || exit 1
port=${url##*:}
python3 - "$port" "$admin" >"$tmp/py" 2>&1 <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
auth = ("Authorization: Bearer %s\r\n" % sys.argv[2]).encode()
def conn():
    return socket.create_connection(("127.0.0.1", port), timeout=8)
def first(s):
    try:
        return s.recv(64)
    except OSError:
        return b""
held = []
for _ in range(3):
    s = conn()
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    held.append(s)
time.sleep(0.3)
t0 = time.monotonic()
s = conn()
try:
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
except OSError:
    pass
print("fourth", repr(first(s)), round(time.monotonic() - t0, 2))
for h in held:
    got = first(h)
    print("stalled", repr(got), round(time.monotonic() - t0, 2))
# The server frees a slot once it has closed the connection, which the
# client may see a moment before (a loaded or sanitized build): ask again
# for up to 3 s.
def served():
    t0 = time.monotonic()
    while True:
        s = conn()
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        except OSError:
            pass
        got = first(s)[:12]
        s.close()
        if got or time.monotonic() - t0 > 3:
            return got
        time.sleep(0.1)
print("after", served())
served()
s = conn()
t0 = time.monotonic()
s.sendall(b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Length: 100\r\n\r\n")
sent = 0
try:
    while sent < 100:
        time.sleep(0.5)
        s.sendall(b"x")
        sent += 1
except OSError:
    pass
print("trickle", sent, round(time.monotonic() - t0, 2), repr(first(s)))
EOF
fourth=$(sed -n 's/^fourth //p' "$tmp/py")
case $fourth in "b'' 0."*) ok ;; *) bad "the connection past the limit: $(cat "$tmp/py")" ;; esac
n=$(grep -c "^stalled b'' [1-4]\." "$tmp/py")
[ "$n" = 3 ] && ok || bad "stalled connections not cut off after about 2 s: $(cat "$tmp/py")"
grep -qF "after b'HTTP/1.1 200'" "$tmp/py" && ok || bad "no answer once the stalled closed: $(cat "$tmp/py")"
trickle=$(sed -n 's/^trickle \([0-9]*\) \([0-9]*\)\..*/\1 \2/p' "$tmp/py")
set -- $trickle
[ "${1:-100}" -lt 10 ] && [ "${2:-0}" -ge 2 ] && [ "${2:-99}" -le 6 ] && ok || bad "a trickled body was not cut off: $(cat "$tmp/py")"
grep -q '"msg":"refused","max_connections":3' "$tmp/serve.log" && ok ||
    bad "no log line for the refused connection"
serve_stop

# ---- the rate limit ----
# --rate 1/s --burst 3: three at once pass, the fourth is 429 with
# Retry-After; after that many seconds the same token passes again.
# Another token has its own bucket, and a request without a token is 401
# (it is refused before it could count).
serve_start "$db" "$A" --rate 1/s --burst 3 || exit 1
for i in 1 2 3; do
    req GET /api/v1/events "$admin"
    want 200 "request $i of the burst"
done
req GET /api/v1/events "$admin"
want 429 "a request past the burst"
json 'b["status"] == 429 and b["field"] == "Authorization"' && ok || bad "429 problem: $(cat "$tmp/body")"
after=$(tr -d '\r' <"$tmp/headers" | sed -n 's/^Retry-After: //p')
case $after in [1-9]) ok ;; *) bad "Retry-After '$after'" ;; esac
req GET /api/v1/events "$other"
want 200 "another token while the first is limited"
for i in 1 2 3 4 5; do
    req GET /api/v1/events ""
    want 401 "no token, request $i"
done
sleep "${after:-1}"
req GET /api/v1/events "$admin"
want 200 "the same token after Retry-After"
serve_stop
status 2 "$truce" serve --rate 5/h "$A"

echo "serve_ops: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
