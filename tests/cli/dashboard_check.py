"""The dashboard in headless Chromium (tests/cli/test_dashboard.sh): sign
in with a party token, markers for every located event, a report posted
through the API on the map and in the queue within 2 s without a reload,
a confirmation from the page seen by the API, a viewer without review
buttons, no console error, no request leaving the server.

usage: python3 dashboard_check.py CHROMIUM URL PARTY_TOKEN VIEWER_TOKEN ADMIN_TOKEN TMPDIR
Prints "ok ..." or "FAIL ..." lines; exits 1 when any check fails."""
import json
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, sys.path[0])
from cdp import Browser  # noqa: E402

chromium, url, party, viewer, admin, tmp = sys.argv[1:7]
failures = 0


def check(cond, what):
    global failures
    print(("ok " if cond else "FAIL ") + what, flush=True)
    failures += 0 if cond else 1


def api(method, path, token, body=None):
    req = urllib.request.Request(url + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def located():
    _, text = api("GET", "/api/v1/events?limit=1000", admin)
    return sum(1 for f in json.loads(text)["features"] if f["geometry"])


# The markers drawn one by one plus the counts of the clusters.
SHOWN = """(function () {
  let n = document.querySelectorAll('path.truce-event').length;
  document.querySelectorAll('.marker-cluster span').forEach(function (s) { n += +s.textContent; });
  return document.body.dataset.view === 'markers' ? n : -1;
})()"""


def sign_in(b, token):
    b.wait("!document.getElementById('sign-in').hidden", 10)
    b.eval("document.getElementById('token').value = %s;"
           "document.getElementById('sign-in-form').requestSubmit(); true" % json.dumps(token))
    return b.wait("document.getElementById('who').hidden === false && "
                  "document.getElementById('who-text').textContent", 10)


with Browser(chromium, tmp + "/profile") as b:
    b.navigate(url + "/")
    who = sign_in(b, party)
    check(who and "Turkey" in who, "signed in with the party token: %r" % who)
    want = located()
    got = b.wait("(%s) === %d ? %d : 0" % (SHOWN, want, want), 15)
    check(got == want and want > 0,
          "one marker (or cluster count) per located event: %s shown, %d located"
          % (b.eval(SHOWN), want))
    check(b.wait("document.getElementById('live').classList.contains('on')", 5),
          "the live stream is open")
    check(b.wait("document.querySelectorAll('#queue-list li').length > 0", 5),
          "the queue lists reports waiting for the party")

    # A report posted through the API: on the map and first in the queue.
    report = {"id": "live-1", "start": "2020-03-20", "lon": 36.55, "lat": 35.83,
              "event_type": "Battles", "actor1": "Military Forces of Syria",
              "notes": "<script>alert(1)</script> & \"quotes\""}
    t0 = time.monotonic()
    status, _ = api("POST", "/api/v1/reports", admin, report)
    check(status == 201, "report posted: %d" % status)
    seen = b.wait("(%s) === %d && document.querySelector('#queue-list li')"
                  " && document.querySelector('#queue-list li').dataset.id === 'live-1'"
                  % (SHOWN, want + 1), 5, interval=0.02)
    elapsed = time.monotonic() - t0
    check(seen and elapsed <= 2.0,
          "the report is on the map and first in the queue after %.2f s (<= 2 s)" % elapsed)
    check(b.eval("location.href.indexOf(%s) < 0" % json.dumps(party)), "no token in the URL")
    if not seen:  # go on with the checks below on a reloaded page
        b.navigate(url + "/")
        b.wait("document.querySelector('#queue-list li[data-id=\"live-1\"]')", 10)

    # Another report of the same battle: the panel links it as a likely duplicate.
    twin = dict(report, id="live-1b", lon=36.551, notes=None)
    status, _ = api("POST", "/api/v1/reports", admin, twin)
    check(status == 201, "its duplicate posted: %d" % status)

    # Its panel shows the text as text.
    b.eval("document.querySelector('#queue-list li[data-id=\"live-1\"] .title').click(); true")
    notes = b.wait("!document.getElementById('event').hidden && "
                   "document.getElementById('event-title').textContent === 'live-1' && "
                   "Array.from(document.querySelectorAll('#event-facts dd'))"
                   ".map(function (d) { return d.textContent; }).join('|')", 5)
    check(notes and "<script>alert(1)</script>" in notes and
          not b.eval("document.querySelector('#event script') !== null"),
          "the event's panel shows its text as text")
    check(b.wait("document.querySelector('#event-duplicates a') && "
                 "document.querySelector('#event-duplicates a').textContent === 'live-1b'", 5),
          "the event's panel links its likely duplicate")

    # Confirmed in the page: the API says so.
    b.eval("document.querySelector('#queue-list li[data-id=\"live-1\"] "
           "button[data-action=confirm]').click(); true")
    confirmed = None
    end = time.monotonic() + 5
    while time.monotonic() < end:
        _, text = api("GET", "/api/v1/events/live-1", admin)
        e = json.loads(text)
        if e.get("status") == "confirmed" and "Turkey" in e.get("confirmed_by", []):
            confirmed = e
            break
        time.sleep(0.05)
    check(confirmed is not None, "confirming in the page confirms it in the API")
    check(b.wait("!document.querySelector('#queue-list li[data-id=\"live-1\"]')", 3),
          "the confirmed report leaves the party's queue")

    # A viewer: no review buttons; a review sent by hand is refused.
    b.eval("document.getElementById('sign-out').click(); true")
    check(b.wait("!document.getElementById('sign-in').hidden && "
                 "sessionStorage.getItem('truce.token') === null", 5),
          "signing out forgets the token")
    who = sign_in(b, viewer)
    check(who and who.startswith("viewer"), "signed in as a viewer: %r" % who)
    check(b.wait("document.querySelectorAll('#queue-list li').length > 0", 5),
          "the viewer sees the open reports")
    buttons = b.eval("document.querySelectorAll('#queue-list button, #event button[data-action]')"
                     ".length")
    check(buttons == 0, "the viewer sees no review buttons (%d)" % buttons)
    status, _ = api("POST", "/api/v1/events/live-1/reviews", viewer, {"action": "confirm"})
    check(status == 403, "a review sent with the viewer's token is refused: %d" % status)
    b.pump(0.3)

    check(not b.errors, "no console errors: %s" % b.errors)
    away = [u for u in b.requests if not (u.startswith(url + "/") or u.startswith("data:"))]
    check(not away and len(b.requests) > 5,
          "all %d requests went to %s: %s" % (len(b.requests), url, away))

sys.exit(1 if failures else 0)
