#!/bin/sh
# `make serve`: the live service on the Idlib agreement, to try by hand.  A
# fresh store beside the binary (build/serve/truce.db), an admin token
# printed once, then truce serve in the foreground until Ctrl-C.
# usage: sh scripts/serve.sh path/to/truce [HOST:PORT]
set -eu
truce=$1
listen=${2:-127.0.0.1:8080}
cd "$(dirname "$0")/.."
agreement=data/idlib-2020/agreement.geojson
dir=$(cd "$(dirname "$truce")" && pwd)/serve
rm -rf "$dir"
mkdir -p "$dir"
db=$dir/truce.db
token=$("$truce" token add --db "$db" --role admin --name "make serve")
url=http://$listen
cat <<TEXT
A fresh store: $db
The agreement: $agreement
An admin token (shown only now): $token
The server: $url (Ctrl-C stops it; another address: make serve LISTEN=127.0.0.1:9090)
The dashboard: open $url/ in a browser and sign in with the token (docs/dashboard.md)

Try, in another terminal:
    TOKEN=$token
    curl -s -H "Authorization: Bearer \$TOKEN" $url/api/v1/reports \\
      -d '{"start":"2020-03-07","lon":36.63,"lat":35.93,"event_type":"Battles"}'
    curl -s -H "Authorization: Bearer \$TOKEN" "$url/api/v1/events?f=jsonl"
docs/server.md has the rest (more tokens: $truce token add --db $db ...).

TEXT
# Ctrl-C reaches truce serve too, which finishes its requests and closes the
# store; this shell only waits for it.
trap : INT TERM
status=0
"$truce" serve --db "$db" --listen "$listen" "$agreement" || status=$?
if [ $status -eq 4 ]; then
    echo "(is $listen taken? make serve LISTEN=HOST:PORT listens elsewhere)" >&2
fi
exit $status
