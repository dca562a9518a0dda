#!/usr/bin/env python3
"""dedup_score.py: precision and recall of `truce dedup -f jsonl` against
gen_dedup.py's truth.csv.

Pairs of reports: a pair is true when both tell one incident, found when
both are in one cluster.  Precision = true pairs found / pairs found;
recall = true pairs found / true pairs.  Also: of the pairs of distinct
incidents within 15 km and 2 days of each other ("nearby"), the share with
any two of their reports in one cluster (merged).

With --list, every false merge follows: the two reports of distinct
incidents found in one cluster, how far apart (km, days) the incidents
truly are, and the cluster's score and reason.

With --pairs-only, the nearby pairs are not counted (their search is
quadratic in the incidents of a cell: hours on a million reports).

usage: dedup_score.py [--list] [--pairs-only] TRUTH.csv CLUSTERS.jsonl
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
    args = sys.argv[1:]
    listing = "--list" in args
    pairs_only = "--pairs-only" in args
    args = [a for a in args if a not in ("--list", "--pairs-only")]
    if len(args) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    incident, where = {}, {}
    for row in csv.DictReader(open(args[0])):
        incident[row["id"]] = int(row["incident"])
        where[int(row["incident"])] = (float(row["lon"]), float(row["lat"]), int(row["day"]))
    cluster, about = {}, {}
    for line in open(args[1]):
        c = json.loads(line)
        about[c["cluster"]] = (c["score"], c["reason"])
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
    wrong = []
    for c, ms in by_cluster.items():
        for a, b in itertools.combinations(ms, 2):
            found += 1
            ia, ib = incident[a], incident[b]
            if ia == ib:
                good += 1
            else:
                merged.add((min(ia, ib), max(ia, ib)))
                wrong.append((a, b, c))
    # Nearby distinct incidents, by a grid of 0.2 degrees.
    nearby = set()
    if not pairs_only:
        grid = defaultdict(list)
        for inc, (lon, lat, day) in where.items():
            grid[(int(lon / 0.2), int(lat / 0.2))].append(inc)
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
    if not pairs_only:
        print("nearby distinct incident pairs %d, merged %d (%.2f%%)" %
              (len(nearby), merged_nearby, 100.0 * merged_nearby / max(1, len(nearby))))
    if listing:
        print("false merges: report, report, km and days between their incidents, "
              "the cluster's score and reason")
        for a, b, c in wrong:
            wa, wb = where[incident[a]], where[incident[b]]
            print("%s\t%s\t%.1f km\t%d d\t%s\t%s" % (a, b, km(wa, wb), abs(wa[2] - wb[2]),
                                                  about[c][0], about[c][1]))


if __name__ == "__main__":
    main()
