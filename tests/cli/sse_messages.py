"""The messages of a text/event-stream as a client saved it, for the tests
of GET /api/v1/stream (test_serve_stream.sh, test_pg_processes.sh).

    from sse_messages import messages
    for m in messages(path): m["id"], m["event"], m["data"]

A message is the fields of the lines before a blank line ("name: value"),
comment lines (":") left out; only those with an id are kept.
"""


def messages(path):
    msgs, cur = [], {}
    for line in open(path).read().split("\n"):
        if line == "":
            if "id" in cur:
                msgs.append(cur)
            cur = {}
        elif not line.startswith(":"):
            k, _, v = line.partition(": ")
            cur[k] = v
    return msgs
