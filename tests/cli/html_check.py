#!/usr/bin/env python3
"""Facts about an HTML report, from Python's HTML parser (what a browser's
tokenizer sees), for the report tests:

  scripts N         <script> elements
  external N        references that would load something from outside the
                    page (each also listed on stderr): src, srcset, poster,
                    data, action, ping attributes; href/xlink:href that is
                    not an in-page "#..." link; url(...) in a style that is
                    not "url(#...)"; @import; elements that load (img,
                    iframe, link, object, embed, audio, video, source, track,
                    base, form) and meta refresh
  csp 1|0           a Content-Security-Policy meta with default-src 'none'
  script_csp 1|0    the policy allows scripts only by hash (no 'unsafe-inline')
                    and lists the SHA-256 of every <script> element's text
                    (a missing one is printed on stderr, ready to paste)
  markers N         map markers: elements of class "event CLASS"
  clusters N        aggregated markers: elements of class "event-cluster CLASS"
                    (one per grid cell and class, map.h)
  cluster_events N  the events they stand for (sum of their data-count)
  rows.ID N         <tr> in the <tbody> of tables in <section id="ID">

With --text, prints instead the page's text (character data outside script
and style, and attribute values of title/aria-label/data-id), one piece per
line, so a test can find input text that must appear as text.

usage: html_check.py [--text] FILE.html
"""
import base64
import hashlib
import re
import sys
from html.parser import HTMLParser

LOADING = {"img", "iframe", "link", "object", "embed", "audio", "video", "source",
           "track", "base", "form", "frame", "frameset", "applet", "portal"}
LOAD_ATTRS = {"src", "srcset", "poster", "data", "action", "formaction", "ping",
              "background", "manifest", "codebase", "longdesc", "lowsrc", "dynsrc"}


def bad_url_in_css(s):
    for m in re.finditer(r"url\(\s*['\"]?([^)'\"]*)", s, re.I):
        if not m.group(1).startswith("#"):
            return True
    return "@import" in s.lower()


class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.n = {"scripts": 0, "external": 0, "csp": 0, "markers": 0, "clusters": 0,
                  "cluster_events": 0}
        self.rows = {}
        self.section = None
        self.stack = []
        self.in_raw = None
        self.texts = []
        self.in_tbody = 0
        self.policy = ""
        self.script_texts = []

    def script_csp(self):
        """1 when script-src allows exactly by hash and lists every script's."""
        src = next((d.split()[1:] for d in self.policy.split(";")
                    if d.split()[:1] == ["script-src"]), None)
        if src is None or "'unsafe-inline'" in src:
            print("script_csp: script-src missing or allows 'unsafe-inline'", file=sys.stderr)
            return 0
        ok = 1
        for text in self.script_texts:
            h = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
            if "'sha256-%s'" % h not in src:
                print("script_csp: no 'sha256-%s' in script-src" % h, file=sys.stderr)
                ok = 0
        return ok

    def external(self, what):
        self.n["external"] += 1
        print("external: " + what, file=sys.stderr)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.n["scripts"] += 1
            self.in_raw = "script"
            self.script_texts.append("")
        if tag == "style":
            self.in_raw = "style"
        if tag in LOADING:
            self.external("<%s>" % tag)
        if tag == "meta":
            equiv = (a.get("http-equiv") or "").lower()
            if equiv == "refresh":
                self.external("meta refresh")
            if equiv == "content-security-policy":
                self.policy = a.get("content") or ""
                if "default-src 'none'" in self.policy:
                    self.n["csp"] = 1
        for k, v in attrs:
            v = v or ""
            if k.lower() in LOAD_ATTRS:
                self.external("%s=%r on <%s>" % (k, v, tag))
            elif k.lower() in ("href", "xlink:href") and not v.startswith("#"):
                self.external("%s=%r on <%s>" % (k, v, tag))
            elif k.lower() == "style" and bad_url_in_css(v):
                self.external("style=%r" % v)
            elif k.lower().startswith("on") and tag != "script":
                self.external("event handler %s on <%s>" % (k, tag))
            if k in ("title", "aria-label", "data-id"):
                self.texts.append(v)
        cls = (a.get("class") or "").split()
        if cls[:1] == ["event"]:
            self.n["markers"] += 1
        if cls[:1] == ["event-cluster"]:
            self.n["clusters"] += 1
            self.n["cluster_events"] += int(a.get("data-count") or 0)
        if tag == "section" and a.get("id"):
            self.section = a["id"]
        if tag == "tbody":
            self.in_tbody += 1
        if tag == "tr" and self.in_tbody and self.section:
            key = "rows." + self.section
            self.rows[key] = self.rows.get(key, 0) + 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.in_raw = None
        if tag == "tbody":
            self.in_tbody -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.in_raw = None
        if tag == "tbody":
            self.in_tbody -= 1
        if tag == "section":
            self.section = None

    def handle_data(self, data):
        if self.in_raw == "script":
            self.script_texts[-1] += data
        if self.in_raw == "style" and bad_url_in_css(data):
            self.external("url() or @import in <style>")
        if not self.in_raw:
            self.texts.append(data)


def main():
    text = sys.argv[1] == "--text"
    c = Check()
    c.feed(open(sys.argv[-1], encoding="utf-8").read())
    c.close()
    if text:
        for t in c.texts:
            if t.strip():
                print(t.replace("\n", " "))
        return
    c.n["script_csp"] = c.script_csp()
    for k, v in list(c.n.items()) + sorted(c.rows.items()):
        print(k, v)


if __name__ == "__main__":
    main()
