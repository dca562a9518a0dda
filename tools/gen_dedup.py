#!/usr/bin/env python3
"""gen_dedup.py: incidents told by 1 to 4 sources, for measuring truce dedup.

Writes into OUTDIR:
  acled.csv        ACLED's layout (event_type in ACLED's words)
  ucdp.csv         UCDP GED's required columns (type_of_violence, low/best/high)
  party.jsonl      a party's reports in truce's JSON Lines (truce's own words)
  observer.jsonl   an observer's sightings (observer, bearings, distances)
  truth.csv        report id -> incident number, and each incident's place and day

Each incident is a place around Idlib, a day in 2019-2021, a kind (battle,
explosion, violence against civilians, strategic development) and a death
toll.  A quarter of the incidents are put near an earlier one (2-15 km, 0-2
days apart): distinct incidents that a careless dedup would merge.  Each
incident is told by 1 to 4 sources chosen at random, each in its own way:
its own id; its date shifted within the precision it states (ACLED week
precision: up to 3 days; UCDP's date_start..date_end range around the day);
its place moved within the radius it states (ACLED geo_precision 1 within
2 km, 2 within 25 km; UCDP where_prec 1 within 2 km, 2 within 25 km; the
party within its radius_m); its own words for the type; its own count of
the dead (UCDP a best figure within 20% and a low-high range around the
truth; the party gives one only half the time; the observer never).  The
observer reports only shelling and fighting it heard: a sector 2 km deep
and 30 to 60 degrees wide, from a post 2-6 km away, that holds the place.

usage: gen_dedup.py [--incidents N] [--seed S] OUTDIR
"""
import argparse
import csv
import datetime
import json
import math
import os
import random

A = 6378137.0
F = 1 / 298.257223563


def move(lon, lat, bearing_deg, dist_m):
    """A point dist_m from (lon, lat) at bearing_deg, on a sphere of the
    WGS84 mean radius (the generator's own, independent of truce's)."""
    r = 6371008.8
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    d = dist_m / r
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(l2), math.degrees(p2)


def within(rng, lon, lat, radius_m):
    """A point uniformly in the disk of radius_m (shrunk 5% for the sphere)."""
    return move(lon, lat, rng.uniform(0, 360), 0.95 * radius_m * math.sqrt(rng.random()))


ACLED_WORDS = {"battle": "Battles", "explosion": "Explosions/Remote violence",
               "civilians": "Violence against civilians", "strategic": "Strategic developments"}
PARTY_WORDS = {"battle": ["armed_clash", "attack_on_forces"], "explosion": ["shelling", "airstrike"],
               "civilians": ["attack_on_civilians"], "strategic": ["territorial_change"]}
UCDP_TYPE = {"battle": [1, 2], "explosion": [1, 2], "civilians": [3]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--incidents", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("outdir")
    o = ap.parse_args()
    rng = random.Random(o.seed)
    os.makedirs(o.outdir, exist_ok=True)
    day0 = datetime.date(2019, 1, 1)
    incidents = []
    for n in range(o.incidents):
        if incidents and rng.random() < 0.25:
            base = rng.choice(incidents)
            lon, lat = move(base[1], base[2], rng.uniform(0, 360), rng.uniform(2000, 15000))
            day = min(1095, max(0, base[3] + rng.randint(-2, 2)))
        else:
            lon, lat, day = rng.uniform(35.9, 37.5), rng.uniform(35.0, 36.6), rng.randint(0, 1095)
        kind = rng.choices(["battle", "explosion", "civilians", "strategic"], [35, 45, 15, 5])[0]
        dead = 0 if rng.random() < 0.4 else 1 + int(rng.expovariate(1 / 4))
        incidents.append((n, lon, lat, day, kind, dead))

    acled = csv.writer(open(os.path.join(o.outdir, "acled.csv"), "w", newline=""), lineterminator="\n")
    acled.writerow(["event_id_cnty", "event_date", "year", "time_precision", "event_type",
                    "country", "latitude", "longitude", "geo_precision", "fatalities"])
    ucdp = csv.writer(open(os.path.join(o.outdir, "ucdp.csv"), "w", newline=""), lineterminator="\n")
    ucdp.writerow(["id", "relid", "type_of_violence", "where_prec", "latitude", "longitude", "date_prec",
                   "date_start", "date_end", "best", "high", "low"])
    party = open(os.path.join(o.outdir, "party.jsonl"), "w")
    observer = open(os.path.join(o.outdir, "observer.jsonl"), "w")
    truth = csv.writer(open(os.path.join(o.outdir, "truth.csv"), "w", newline=""), lineterminator="\n")
    truth.writerow(["id", "incident", "lon", "lat", "day"])
    for n, lon, lat, day, kind, dead in incidents:
        sources = ["acled", "party"]
        if kind in UCDP_TYPE:
            sources.append("ucdp")
        if kind in ("battle", "explosion"):
            sources.append("observer")
        k = rng.randint(1, 4)
        told = rng.sample(sources, min(k, len(sources)))
        date = day0 + datetime.timedelta(days=day)
        for s in told:
            if s == "acled":
                rid = "SYR%d" % n
                tp = 1 if rng.random() < 0.8 else 2
                d = date + datetime.timedelta(days=rng.randint(-3, 3) if tp == 2 else 0)
                gp = 1 if rng.random() < 0.85 else 2
                x, y = within(rng, lon, lat, 2000 if gp == 1 else 25000)
                acled.writerow([rid, d.isoformat(), d.year, tp, ACLED_WORDS[kind], "Syria",
                                "%.5f" % y, "%.5f" % x, gp, dead])
            elif s == "ucdp":
                rid = "GED%d" % n
                dp = 1 if rng.random() < 0.7 else 2
                if dp == 1:
                    a = b = date
                else:
                    a = date - datetime.timedelta(days=rng.randint(0, 3))
                    b = a + datetime.timedelta(days=rng.randint((date - a).days, 5))
                wp = 1 if rng.random() < 0.8 else 2
                x, y = within(rng, lon, lat, 2000 if wp == 1 else 25000)
                best = max(0, round(dead * rng.uniform(0.8, 1.2)))
                low, high = min(best, max(0, dead - 2)), max(best, dead + 2)
                ucdp.writerow([rid, "SYR-%d" % n, rng.choice(UCDP_TYPE[kind]), wp, "%.4f" % y, "%.4f" % x, dp,
                               a.isoformat(), b.isoformat(), best, high, low])
            elif s == "party":
                rid = "P-%d" % n
                radius = rng.choice([1000, 5000])
                x, y = within(rng, lon, lat, radius)
                rec = {"id": rid, "date": date.isoformat(), "lon": round(x, 5), "lat": round(y, 5),
                       "radius_m": radius, "event_type": rng.choice(PARTY_WORDS[kind]),
                       "fatalities": dead if rng.random() < 0.5 else None}
                party.write(json.dumps(rec) + "\n")
            else:
                rid = "OBS-%d" % n
                dist = rng.uniform(2000, 6000)
                to_post = rng.uniform(0, 360)
                ox, oy = move(lon, lat, to_post, dist)
                bearing = to_post + 180  # back toward the place, near enough
                half = rng.uniform(15, 30)
                off = rng.uniform(-half / 2, half / 2)
                near = rng.uniform(200, 800)
                rec = {"id": rid, "date": date.isoformat(), "observation": "heard",
                       "event_type": "shelling" if kind == "explosion" else "armed_clash",
                       "observer_lon": round(ox, 5), "observer_lat": round(oy, 5),
                       "bearing_min_deg": round((bearing + off - half) % 360, 1),
                       "bearing_max_deg": round((bearing + off + half) % 360, 1),
                       "distance_min_m": round(dist - near), "distance_max_m": round(dist + 2000 - near)}
                observer.write(json.dumps(rec) + "\n")
            truth.writerow([rid, n, "%.5f" % lon, "%.5f" % lat, day])


if __name__ == "__main__":
    main()
