#!/usr/bin/env python3
"""The network requests a page made, from a Chromium net log
(--log-net-log=FILE): one line "INITIATOR URL" per request the page started.

Chromium logs its own background requests too (component updates, network
time, sign-in, spelling dictionaries); those have the initiator "not an
origin" and are left out.  A request from a page opened from a file has the
initiator "null" (an opaque origin).  Blocked loads (CSP) never reach the
network stack and are not in the log.

usage: netlog_requests.py NETLOG.json
"""
import json
import sys


def main():
    s = open(sys.argv[1]).read()
    try:
        d = json.loads(s)
    except ValueError:  # a log cut short when the browser was stopped
        d = json.loads(s.rstrip().rstrip(",") + "]}")
    names = {v: k for k, v in d["constants"]["logEventTypes"].items()}
    for e in d.get("events", []):
        if names.get(e["type"]) != "URL_REQUEST_START_JOB":
            continue
        p = e.get("params", {})
        url = p.get("url")
        if not url or p.get("initiator") == "not an origin":
            continue
        print(p.get("initiator"), url)


if __name__ == "__main__":
    main()
