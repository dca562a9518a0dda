"""A webhook receiver for tests/cli/test_serve_webhooks.sh, on 127.0.0.1.

    python3 webhook_receiver.py PORT PORT_FILE LOG SECRET

Listens on PORT (0: any free one, written to PORT_FILE) and checks the
Truce-Signature of every POST with SECRET, as a receiver should: "t=T,v1=HEX"
with HEX the HMAC-SHA256 of T + "." + the body.  Appends one JSON line per
request to LOG: the path, whether the signature checked, and the delivery,
change and event id of the body.  Answers 204 when the signature checks,
400 when it does not (the sender then tries again later).
"""
import hashlib
import hmac
import json
import os
import sys
from http.server import HTTPServer, BaseHTTPRequestHandler

port, port_file, log, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].encode()


def checks(header, body):
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    want = hmac.new(secret, fields.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, fields.get("v1", ""))


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ok = checks(self.headers.get("Truce-Signature", ""), body)
        doc = json.loads(body)
        line = json.dumps({"path": self.path, "ok": ok, "delivery": doc["delivery"],
                           "change": doc["change"]["id"], "kind": doc["change"]["kind"],
                           "event": doc["event"]["id"],
                           "violation": doc["event"]["violation"],
                           "type": self.headers.get("Content-Type")}) + "\n"
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(fd, line.encode())
        os.close(fd)
        self.send_response(204 if ok else 400)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", port), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
