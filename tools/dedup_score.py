#!/usr/bin/env python3
"""dedup_score.py: precision and recall of `truce dedup -f jsonl` against
gen_dedup.py's truth.csv.

Pairs of reports: a pair is true when both tell one incident, found when
both are in one cluster.  Precision = true pairs found / pairs found;
recall = true pairs found / true pairs.  Also: of the pairs of distinct
incidents within 15 km and 2 days of each other ("nearby"), the share with
any two of their reports in one cluster (merged).

usage: dedup_score.py TRUTH.csv CLUSTERS.jsonl
"""
import csv
import itertools
import json
import math
import sys
from collections import defaultdict


def km(a, b):
    r = 6371.0088
    p1, p2 = math.radians(a[1]), math.radians(b[1])
    dl = math.radians(b[0] - a[0])
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return r * math.acos(max(-1.0, min(1.0, c)))


def main():
    incident, where = {}, {}
    for row in csv.DictReader(open(sys.argv[1])):
        incident[row["id"]] = int(row["incident"])
        where[int(row["incident"])] = (float(row["lon"]), float(row["lat"]), int(row["day"]))
    cluster = {}
    for line in open(sys.argv[2]):
        c = json.loads(line)
        for m in c["members"]:
            cluster[m] = c["cluster"]
    members = defaultdict(list)
    for rid, inc in incident.items():
        members[inc].append(rid)
    true_pairs = sum(len(v) * (len(v) - 1) // 2 for v in members.values())
    by_cluster = defaultdict(list)
    for rid, c in cluster.items():
        by_cluster[c].append(rid)
    found = good = 0
    merged = set()
    for ms in by_cluster.values():
        for a, b in itertools.combinations(ms, 2):
            found += 1
            ia, ib = incident[a], incident[b]
            if ia == ib:
                good += 1
            else:
                merged.add((min(ia, ib), max(ia, ib)))
    # Nearby distinct incidents, by a grid of 0.2 degrees.
    grid = defaultdict(list)
    for inc, (lon, lat, day) in where.items():
        grid[(int(lon / 0.2), int(lat / 0.2))].append(inc)
    nearby = set()
    for (gx, gy), incs in grid.items():
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for a in incs:
                    for b in grid.get((gx + dx, gy + dy), ()):
                        if a < b and abs(where[a][2] - where[b][2]) <= 2 and \
                                km(where[a], where[b]) <= 15:
                            nearby.add((a, b))
    merged_nearby = len(nearby & merged)
    print("reports %d, incidents %d, true pairs %d, pairs found %d, right %d" %
          (len(incident), len(members), true_pairs, found, good))
    print("precision %.4f recall %.4f" % (good / found if found else 1.0,
                                          good / true_pairs if true_pairs else 1.0))
    print("nearby distinct incident pairs %d, merged %d (%.2f%%)" %
          (len(nearby), merged_nearby, 100.0 * merged_nearby / max(1, len(nearby))))


if __name__ == "__main__":
    main()
