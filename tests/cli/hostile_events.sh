# Sourced by CLI tests: hostile_events FILE writes a GeoJSON file of events
# whose text holds markup, quotes and ampersands in every field a picture or
# a report shows (id, place, actors, event type, notes, sources).  The first
# two are violations of the bundled Idlib agreement (shelling inside the
# area after the ceasefire), the third has no location.
hostile_events() {
    cat >"$1" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "id": "<script>alert(1)</script>",
  "properties": {"event_type": "shelling", "date": "2020-03-07",
   "place": "\"Quoted\" & <b>bold</b> place",
   "actor1": "Forces <img src=x onerror=alert(2)> & co", "actor2": "'single' quotes",
   "notes": "</td></tr><script>alert('x')</script> &amp; & \" ' done",
   "sources": "<a href=\"javascript:alert(3)\">source</a>", "fatalities": 2},
  "geometry": {"type": "Point", "coordinates": [36.63393, 35.93062]}},
 {"type": "Feature", "id": "e2&amp;<!-- -->",
  "properties": {"event_type": "shelling", "date": "2020-03-08",
   "place": "]]><![CDATA[x]]>", "actor1": "A</script><script>alert(4)</script>",
   "notes": "<style>body{display:none}</style>", "fatalities": 1},
  "geometry": {"type": "Point", "coordinates": [36.60964, 35.81374]}},
 {"type": "Feature", "id": "e3\"'",
  "properties": {"event_type": "<svg onload=alert(5)>", "date": "2020-03-09",
   "place": "nowhere & <i>everywhere</i>", "notes": "no location <script>"},
  "geometry": null}
]}
JSON
}
