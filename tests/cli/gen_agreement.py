#!/usr/bin/env python3
"""Agreements with many zones or corridors, for classify's memory
(docs/performance.md, "Classify: memory per zone and corridor";
tests/cli/test_classify_memory.sh).

usage: gen_agreement.py corridors N AGREEMENT OUT
       gen_agreement.py amendments N AGREEMENT OUT

corridors:  AGREEMENT with N more corridors, each its first corridor's
            road moved north by 0.002 degrees (about 220 m) more than the
            last, so that no two share an index; no rule names them (every
            event is still placed against each: distance, chainage, side).
amendments: AGREEMENT whose first corridor is restated N times, version k
            in force for UTC day k from the ceasefire's date (from/until), its
            depths cycling through 6000, 5000 and 4000 m, as an agreement
            amended daily for N days would be; its rules name every version.
"""
import copy
import datetime
import json
import sys


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("corridors", "amendments"):
        sys.exit(__doc__)
    mode, n, src, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    a = json.load(open(src))
    first = [f for f in a["features"] if (f.get("properties") or {}).get("role") == "corridor"][0]
    day0 = datetime.date.fromisoformat(a["agreement"]["ceasefire"][:10])
    ids = []
    for k in range(n):
        f = copy.deepcopy(first)
        f["id"] = f"{first['id']}-{mode[0]}{k}"
        p = f["properties"]
        if mode == "corridors":
            g = f["geometry"]
            lines = g["coordinates"] if g["type"] == "MultiLineString" else [g["coordinates"]]
            for line in lines:
                for pos in line:
                    pos[1] = round(pos[1] + 0.002 * (k + 1), 7)
        else:
            for key in ("half_width_m", "left_m", "right_m"):
                p.pop(key, None)
            p["half_width_m"] = (6000, 5000, 4000)[k % 3]
            p["from"] = (day0 + datetime.timedelta(days=k)).isoformat() + "T00:00:00Z"
            p["until"] = (day0 + datetime.timedelta(days=k + 1)).isoformat() + "T00:00:00Z"
        a["features"].append(f)
        ids.append(f["id"])
    for rule in a["agreement"].get("rules", []) if mode == "amendments" else []:
        if first["id"] in rule.get("corridors", []):
            rule["corridors"] = rule["corridors"] + ids
    with open(out, "w") as o:
        json.dump(a, o)


main()
