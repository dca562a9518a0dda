"""The live stream of truce serve, read as a client that keeps losing its
connection (tests/cli/test_serve_stream.sh).

    python3 sse_check.py URL TOKEN EVENTS

Opens GET /api/v1/stream, then posts EVENTS reports in imports of 100 rows
(JSON Lines) from another thread while it reads; about eight times
it drops the connection at once and comes back with Last-Event-ID (once with
the last_event_id query parameter instead).  It checks that every event
arrives exactly once, as a `created` message, in order: change numbers
strictly increasing, each stored event's id once, no other.  Prints the
number of reconnections and messages; exits 1 with a reason otherwise.
"""
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

url, token, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
u = urllib.parse.urlsplit(url)
AUTH = {"Authorization": "Bearer " + token}
BATCH = 100
DEADLINE = time.monotonic() + 300


def fail(why):
    print("FAIL: " + why, file=sys.stderr)
    sys.exit(1)


def post_all(errors):
    """Imports of BATCH rows each, ids s-00000... in order."""
    try:
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        rnd = random.Random(7)
        for first in range(0, total, BATCH):
            rows = []
            for i in range(first, min(first + BATCH, total)):
                rows.append(json.dumps({
                    "id": "s-%05d" % i,
                    "start": "2020-03-%02d" % (1 + i % 20),
                    "lon": round(36.4 + rnd.random() * 0.5, 4),
                    "lat": round(35.7 + rnd.random() * 0.3, 4),
                    "event_type": "Battles",
                }))
            c.request("POST", "/api/v1/imports?format=jsonl", "\n".join(rows).encode(),
                      dict(AUTH, **{"Content-Type": "application/x-ndjson"}))
            r = c.getresponse()
            body = r.read()
            if r.status != 200:
                errors.append("import: %d %s" % (r.status, body[:200]))
                return
    except Exception as e:  # noqa: BLE001 - reported by the main thread
        errors.append("import: %r" % e)


def open_stream(last, how):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    path, headers = "/api/v1/stream", dict(AUTH)
    if last is not None and how == "query":
        path += "?last_event_id=%d" % last
    elif last is not None:
        headers["Last-Event-ID"] = str(last)
    c.request("GET", path, headers=headers)
    r = c.getresponse()
    if r.status != 200 or r.getheader("Content-Type") != "text/event-stream":
        fail("stream: %d %s" % (r.status, r.read()[:200]))
    return c, r


def messages(r):
    """(id, event, data) of each message; comments skipped."""
    fields = {}
    while True:
        line = r.readline()
        if not line:
            return
        line = line.decode().rstrip("\n")
        if line == "":
            if "id" in fields:
                yield int(fields["id"]), fields.get("event"), fields.get("data")
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value


seen_ids, last_change, last_event, got = set(), None, "", 0
reconnects, next_drop = 0, 0
# Drops every 1/15 to 1/6 of the events: about eight, whatever their number.
gap = (max(50, total // 15), max(100, total // 6))
rnd = random.Random(11)
errors = []
poster = threading.Thread(target=post_all, args=(errors,))
c, r = open_stream(None, "header")
first = r.readline()  # ": stream": the stream is open before anything is posted
if not first.startswith(b":"):
    fail("stream: first line %r" % first)
poster.start()
next_drop = rnd.randint(*gap)
while got < total:
    if time.monotonic() > DEADLINE:
        fail("timed out with %d of %d events" % (got, total))
    dropped = False
    for change, kind, data in messages(r):
        if last_change is not None and change <= last_change:
            fail("change %d after %d" % (change, last_change))
        last_change = change
        if kind != "created":
            fail("change %d: event %r" % (change, kind))
        event = json.loads(data)
        if event["id"] in seen_ids:
            fail("event %s twice" % event["id"])
        if seen_ids and event["id"] < last_event:
            fail("event %s after %s: not in the order posted" % (event["id"], last_event))
        last_event = event["id"]
        if event.get("status") != "submitted" or "received_at" not in event:
            fail("change %d: %s" % (change, data[:200]))
        seen_ids.add(event["id"])
        got += 1
        if got >= total:
            break
        if got >= next_drop:
            dropped = True
            break
    if got >= total:
        break
    if not dropped and errors:
        fail(errors[0])
    # Gone at once, mid-stream: the socket is closed without reading on.
    c.sock.close() if c.sock else None
    c.close()
    reconnects += 1
    if reconnects == 3:
        time.sleep(1)  # away while more are stored: they wait for it
    next_drop = got + rnd.randint(*gap)
    c, r = open_stream(last_change, "query" if reconnects == 2 else "header")
c.close()
poster.join()
if errors:
    fail(errors[0])
want = {"s-%05d" % i for i in range(total)}
if seen_ids != want:
    fail("%d events missing" % len(want - seen_ids))
print("reconnects %d messages %d last change %d" % (reconnects, got, last_change))
