#!/bin/sh
# GET /api/v1/openapi.json of truce serve: the document is server/openapi.json
# byte for byte (compiled in, the one copy), an OpenAPI 3.1 document whose
# every $ref resolves and every operation documents its answers, errors
# included; its paths and methods are the routes the server answers
# (truce serve --routes) both ways, naming what is on one side only; and
# every request example in it is accepted by the running server (2xx).
# usage: sh test_serve_openapi.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
. "$src/tests/cli/serve_lib.sh"
A=$src/data/idlib-2020/agreement.geojson
db=$(store_db t)
admin=$("$truce" token add --db "$db" --role admin)
"$truce" serve --routes >"$tmp/routes" && [ -s "$tmp/routes" ] && ok || bad "truce serve --routes"
serve_start "$db" "$A" || exit 1

req GET /api/v1/openapi.json ""
want 401 "the document without a token"
req GET /api/v1/openapi.json "$admin"
want 200 "the document"
cmp -s "$tmp/body" "$src/server/openapi.json" && ok || bad "the document served is not server/openapi.json"

# The document against the route table, and each request example against
# the server: reports first (the other examples name r-1), then what else
# stores (tracks before patrols), the agreement's PUT last (it replaces the
# agreement).
python3 - "$tmp/body" "$tmp/routes" "$url" "$admin" <<'EOF' && ok || bad "the document and the server disagree (above)"
import json, re, sys, urllib.request, urllib.error, urllib.parse
doc = json.load(open(sys.argv[1]))
url, token = sys.argv[3], sys.argv[4]
fail = []
assert doc["openapi"].startswith("3.1."), doc["openapi"]

def resolve(node, path="#"):
    if isinstance(node, dict):
        if "$ref" in node:
            target = doc
            for part in node["$ref"][2:].split("/"):
                target = target.get(part) if isinstance(target, dict) else None
            if target is None:
                fail.append(f"{path}: $ref {node['$ref']} does not resolve")
        for k, v in node.items():
            resolve(v, path + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            resolve(v, f"{path}/{i}")
resolve(doc)

norm = lambda p: re.sub(r"\{[^}]*\}", "{id}", p)
methods = {"get", "put", "post", "delete", "patch"}
documented = {(m.upper(), norm(p)) for p, item in doc["paths"].items() for m in item if m in methods}
served = {tuple(l.split(" ", 1)) for l in open(sys.argv[2]).read().splitlines()}
for m, p in sorted(documented - served):
    fail.append(f"documented but not served: {m} {p}")
for m, p in sorted(served - documented):
    fail.append(f"served but not documented: {m} {p}")

for p, item in doc["paths"].items():
    for m, o in item.items():
        if m not in methods:
            continue
        codes = set(o.get("responses", {}))
        if not any(c.startswith("2") for c in codes):
            fail.append(f"{m.upper()} {p}: no 2xx answer documented")
        if o.get("security") != [] and "401" not in codes:
            fail.append(f"{m.upper()} {p}: 401 not documented")
        for c in codes - {"200", "201"}:
            content = o["responses"][c]
            if "$ref" not in content and "application/problem+json" not in content.get("content", {}):
                fail.append(f"{m.upper()} {p}: {c} is not a problem")

def examples(o):
    """(content type, body bytes) for each request example; [(None, None)] without a body."""
    body = o.get("requestBody")
    if not body:
        return [(None, None)]
    out = []
    for ctype, media in body["content"].items():
        values = [media["example"]] if "example" in media else [e["value"] for e in media.get("examples", {}).values()]
        for v in values:
            out.append((ctype, v.encode() if isinstance(v, str) else json.dumps(v).encode()))
    return out

def order(op):
    (p, m) = op
    return (p != "/api/v1/reports", p == "/api/v1/agreement" and m == "put", m != "post", p, m)

ops = sorted(((p, m) for p, item in doc["paths"].items() for m in item if m in methods), key=order)
for p, m in ops:
    o = doc["paths"][p][m]
    # Parameters shared by several routes are components ($ref).
    params = [doc["components"]["parameters"][prm["$ref"].rsplit("/", 1)[1]] if "$ref" in prm else prm
              for prm in o.get("parameters", [])]
    path = p
    for prm in params:
        if prm["in"] == "path":
            path = path.replace("{" + prm["name"] + "}", urllib.parse.quote(str(prm["example"]), safe=""))
    query = urllib.parse.urlencode({prm["name"]: prm["example"] for prm in params
                                    if prm["in"] == "query" and "example" in prm})
    headers = {prm["name"]: str(prm["example"]) for prm in params if prm["in"] == "header" and "example" in prm}
    tried = 0
    for i, (ctype, body) in enumerate(examples(o)):
        # A header's example (Idempotency-Key) goes with the first body only:
        # the same key with another body is refused, as documented.
        for h in ({}, headers) if headers and i == 0 else ({},):
            rq = urllib.request.Request(url + path + ("?" + query if query else ""), data=body, method=m.upper())
            rq.add_header("Authorization", "Bearer " + token)
            if ctype:
                rq.add_header("Content-Type", ctype)
            for k, v in h.items():
                rq.add_header(k, v)
            try:
                with urllib.request.urlopen(rq, timeout=30) as r:
                    status = r.status
            except urllib.error.HTTPError as e:
                status = f"{e.code} {e.read()[:200].decode(errors='replace')}"
            if not str(status).startswith("2"):
                fail.append(f"example of {m.upper()} {p} ({ctype or 'no body'}{', ' + ', '.join(h) if h else ''}): {status}")
            tried += 1
    assert tried

for f in fail:
    print("FAIL:", f, file=sys.stderr)
sys.exit(1 if fail else 0)
EOF
serve_stop
echo "serve_openapi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
