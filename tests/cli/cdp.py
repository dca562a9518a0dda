"""Headless Chromium driven over the DevTools protocol, for the dashboard's
browser test and benchmark.

The protocol goes over a pipe (--remote-debugging-pipe: JSON messages, each
ended by a NUL, read by Chromium on fd 3 and written on fd 4), so that no
debugging port is opened and nothing but the standard library is needed.
One page is opened; every request it makes, every console message and
every uncaught exception are recorded.

    with Browser(chromium, profile_dir) as b:
        b.navigate("http://127.0.0.1:8080/")
        b.wait("document.readyState === 'complete'", 5)
        print(b.requests, b.errors)
"""
import json
import os
import select
import subprocess
import time


class CdpError(Exception):
    pass


class Browser:
    def __init__(self, chromium, profile, width=1280, height=800, extra=()):
        os.makedirs(profile, exist_ok=True)
        self._to_r, self._to_w = os.pipe()
        self._from_r, self._from_w = os.pipe()
        to_r, from_w = self._to_r, self._from_w

        def child_fds():
            # Out of the way first, in case the pipes are themselves 3 or 4;
            # dup2 leaves the copies open across exec.
            r, w = os.dup(to_r), os.dup(from_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--mute-audio",
                # Any host name but the server's address fails to resolve.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--window-size=%d,%d" % (width, height), "--remote-debugging-pipe"]
        self.proc = subprocess.Popen(args + list(extra) + ["about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(profile, "chromium.log"), "wb"),
                                     preexec_fn=child_fds, close_fds=False)
        os.close(self._to_r)
        os.close(self._from_w)
        self._buf = b""
        self._next = 0
        self._events = []
        self.requests = []  # every URL the page requested
        self.errors = []    # console errors, uncaught exceptions, failed loads
        self.console = []   # every console message (type, text)
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(domain + ".enable", session=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except (CdpError, OSError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_w, self._from_r):
            try:
                os.close(fd)
            except OSError:
                pass

    # ---- the protocol ----

    def _send(self, message):
        data = json.dumps(message).encode() + b"\0"
        while data:
            n = os.write(self._to_w, data)
            data = data[n:]

    def _read(self, timeout):
        """One message, or None after `timeout` seconds."""
        end = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = end - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._from_r], [], [], left)
            if not ready:
                return None
            chunk = os.read(self._from_r, 1 << 16)
            if not chunk:
                raise CdpError("chromium closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        message = json.loads(raw)
        if "method" in message:
            self._observe(message)
        return message

    def _observe(self, m):
        method, p = m["method"], m.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(p["request"]["url"])
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            self.console.append((p["type"], text))
            if p["type"] in ("error", "assert"):
                self.errors.append("console.%s: %s" % (p["type"], text))
        elif method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            x = d.get("exception", {})
            self.errors.append("exception: %s %s" % (
                d.get("text", ""), x.get("description", x.get("value", ""))))
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
            e = p["entry"]
            self.errors.append("log: %s %s" % (e.get("text", ""), e.get("url", "")))
        elif method == "Network.loadingFailed" and not p.get("canceled"):
            self.errors.append("load failed: %s" % p.get("errorText", ""))

    def call(self, method, params=None, session=False, timeout=30):
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self._send(message)
        end = time.monotonic() + timeout
        while True:
            m = self._read(max(0.0, end - time.monotonic()))
            if m is None:
                raise CdpError("%s: no answer in %g s" % (method, timeout))
            if m.get("id") == self._next:
                if "error" in m:
                    raise CdpError("%s: %s" % (method, m["error"].get("message")))
                return m.get("result", {})

    def pump(self, seconds):
        """Take in events for `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._read(end - time.monotonic())

    # ---- the page ----

    def navigate(self, url):
        self.call("Page.navigate", {"url": url}, session=True)

    def eval(self, expression, timeout=30):
        """The value of a JavaScript expression in the page (awaited when
        it is a promise)."""
        r = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                           "returnByValue": True}, session=True, timeout=timeout)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CdpError(d.get("exception", {}).get("description") or d.get("text"))
        return r["result"].get("value")

    def wait(self, expression, timeout, interval=0.05):
        """Wait until `expression` is truthy (an exception counts as not
        yet); its value, or None after `timeout` seconds."""
        end = time.monotonic() + timeout
        while True:
            try:
                v = self.eval(expression)
            except CdpError:  # not there yet (the page is still loading)
                v = None
            if v:
                return v
            if time.monotonic() >= end:
                return None
            self.pump(interval)
