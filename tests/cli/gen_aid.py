#!/usr/bin/env python3
"""Write a generated week-by-week humanitarian set whose answers are known
by construction, for tests/cli/test_aid.sh: an agreement with five places in
need, deliveries (HXL CSV under a header), access incidents (JSON Lines),
returns (HXL CSV with the hashtag row alone), events (JSON Lines) and
expected.json, the answers written out by hand from the plan below.

usage: gen_aid.py DIR
"""
import datetime
import json
import os
import sys

FROM = datetime.date(2020, 3, 2)  # a Monday; the period is 8 weeks
TO = FROM + datetime.timedelta(days=55)


def day(n):
    return (FROM + datetime.timedelta(days=n)).isoformat()


def square(lon, lat, d):
    return [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d],
             [lon - d, lat - d]]]


def feature(fid, role, geom, **props):
    props["role"] = role
    return {"type": "Feature", "id": fid, "properties": props, "geometry": geom}


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


PLACES = {  # id: (lon, lat)
    "alpha": (36.60, 35.90),
    "bravo": (36.70, 35.95),
    "charlie": (36.80, 35.80),
    "delta": (36.40, 35.95),
    "echo": (36.30, 35.70),
}


def main(out):
    os.makedirs(out, exist_ok=True)
    agreement = {
        "type": "FeatureCollection",
        "agreement": {
            "id": "aid-test", "title": "Generated humanitarian test", "parties": ["A", "B"],
            "timezone": "Asia/Damascus", "ceasefire": "2020-03-06T00:00",
            "rules": [{"id": "no-shelling", "event_types": ["shelling"], "zones": ["area"]}],
        },
        "features": [
            feature("area", "zone", {"type": "Polygon", "coordinates": square(36.5, 35.8, 0.6)},
                    name="area"),
            feature("c1", "corridor", {"type": "LineString",
                                       "coordinates": [[36.2, 35.5], [36.9, 35.5]]},
                    left_m=3000, right_m=3000),
            feature("alpha", "need", point(*PLACES["alpha"]), name="Alpha", radius_m=3000,
                    people_in_need=12000, reach_every_days=7),
            feature("bravo", "need", point(*PLACES["bravo"]), name="Bravo", radius_m=3000,
                    people_in_need=8000, reach_every_days=7),
            feature("charlie", "need", {"type": "Polygon",
                                        "coordinates": square(*PLACES["charlie"], 0.02)},
                    name="Charlie", reach_every_days=14),
            feature("delta", "need", point(*PLACES["delta"]), name="Delta", radius_m=2000,
                    reach_every_days=7),
            feature("echo", "need", point(*PLACES["echo"]), name="Echo", radius_m=2000,
                    admin_code="SY0701"),
            feature("bab", "crossing", point(36.67, 36.23), name="Bab al-Hawa"),
            feature("r1", "aid_route", {"type": "LineString",
                                        "coordinates": [[36.60, 36.20], [36.60, 35.90]]},
                    name="north road", buffer_m=2000),
        ],
    }
    with open(os.path.join(out, "agreement.geojson"), "w") as f:
        json.dump(agreement, f, indent=1)

    # Deliveries.  alpha: every Monday (days 0, 7, ..., 49): gaps 0, 7...,
    # end 55 - 49 = 6: longest 7, met.  bravo (by name in other case): weeks
    # 0-3 (days 0..21) then none: 34 days since, missed.  charlie (by point
    # in its polygon): days 3, 17, 31, 45: gaps 3, 14, 14, 14, 10: met.
    # delta: never.  echo (by admin code): day 10 only.  One delivery before
    # the period, one to no place in need.
    rows = [("Alpha", "", "", "", "wheat flour", "20", "2", "Bab al-Hawa", d)
            for d in range(0, 50, 7)]
    rows += [("BRAVO", "", "", "", "wheat flour", "10", "1", "bab", d) for d in range(0, 22, 7)]
    rows += [("", "35.8005", "36.8010", "", "hygiene kits", "300", "", "", d)
             for d in (3, 17, 31, 45)]
    rows += [("", "", "", "SY0701", "medicines", "5", "1", "", 10)]
    rows += [("Alpha", "", "", "", "wheat flour", "20", "2", "", -10)]
    rows += [("Nowhere", "", "", "", "tents", "40", "", "", 12)]
    with open(os.path.join(out, "deliveries.csv"), "w") as f:
        f.write("Date,Place,Latitude,Longitude,Admin code,Organisation,Item,Quantity,"
                "Trucks,Crossing,Notes\n")
        f.write("#date,#loc +name,#geo+lat,#GEO+Lon,#adm2+code,#org+impl,#item+type,"
                "#item+quantity,#item +num +trucks,#loc+crossing,#meta+comment\n")
        for (name, lat, lon, adm, item, qty, trucks, crossing, d) in rows:
            f.write(f"{day(d)},{name},{lat},{lon},{adm},WFP,{item},{qty},{trucks},"
                    f"{crossing},generated\n")

    # Access incidents: two hostilities (one on the aid route at alpha, km
    # 0 of r1 counted from its north end: 33.3 km), one movement restriction
    # at bravo by name.
    incidents = [
        {"record": "access", "date": day(5), "lat": 35.905, "lon": 36.60, "category": 7,
         "description": "shelling near the convoy route"},
        {"record": "access", "date": day(6), "lat": 35.50, "lon": 36.50,
         "category": "hostilities", "description": "clashes on the corridor road"},
        {"record": "access", "date": day(8), "place": "Bravo", "category": "movement"},
    ]
    with open(os.path.join(out, "access.jsonl"), "w") as f:
        for i in incidents:
            f.write(json.dumps(i) + "\n")

    # Returns.  alpha day 20 (100 people): V1 at alpha on day 15 -> danger.
    # bravo day 40 (50): V2 at bravo day 20, 20 days before -> safe.  No
    # place, a point at (36.5, 35.65) day 30 (70): V3 2 km away that day ->
    # danger; V4 10 km away -> not.  alpha day 5 (10 people): V5 at alpha on
    # day 1 is before the ceasefire, so no violation -> safe.
    returns = [("Alpha", "", "", "100", "20", 20), ("Bravo", "", "", "50", "", 40),
               ("Kafr Test", "35.65", "36.5", "70", "14", 30), ("Alpha", "", "", "10", "", 5)]
    with open(os.path.join(out, "returns.csv"), "w") as f:
        f.write("#date,#loc+name,#geo+lat,#geo+lon,#affected+ind+returnees,"
                "#affected+returnees+hh,#loc+origin\n")
        for (name, lat, lon, ind, hh, d) in returns:
            f.write(f"{day(d)},{name},{lat},{lon},{ind},{hh},Camp\n")

    events = [("V1", 15, PLACES["alpha"]), ("V2", 20, PLACES["bravo"]),
              ("V3", 30, (36.5 + 0.022, 35.65)), ("V4", 30, (36.5 + 0.11, 35.65)),
              ("V5", 1, PLACES["alpha"])]
    with open(os.path.join(out, "events.jsonl"), "w") as f:
        for (eid, d, (lon, lat)) in events:
            f.write(json.dumps({"id": eid, "start": day(d) + "T10:00:00Z",
                                "end": day(d) + "T11:00:00Z", "lon": lon, "lat": lat,
                                "event_type": "shelling", "fatalities": 0}) + "\n")

    expected = {
        "from": day(0), "to": day(55),
        "places": {
            "alpha": {"deliveries": 8, "last_delivery": day(49), "days_since_last": 6,
                      "longest_gap_days": 7, "target_met": True},
            "bravo": {"deliveries": 4, "last_delivery": day(21), "days_since_last": 34,
                      "longest_gap_days": 34, "target_met": False},
            "charlie": {"deliveries": 4, "last_delivery": day(45), "days_since_last": 10,
                        "longest_gap_days": 14, "target_met": True},
            "delta": {"deliveries": 0, "last_delivery": None, "days_since_last": None,
                      "longest_gap_days": 56, "target_met": False},
            "echo": {"deliveries": 1, "last_delivery": day(10), "days_since_last": 45,
                     "longest_gap_days": 45, "target_met": None},
        },
        "unreached": ["delta"],
        "unplaced_deliveries": 1,
        "outside_period": 1,
        "access": {"hostilities": 2, "movement": 1},
        "returns_into_danger": [
            {"area": "alpha", "date": day(20), "returnees": 100, "violations": ["V1"]},
            {"area": "Kafr Test", "date": day(30), "returnees": 70, "violations": ["V3"]},
        ],
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
