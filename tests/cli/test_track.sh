#!/bin/sh
# truce track and truce gen-track: golden outputs for the GPX fixtures, exit
# statuses for broken and missing files, and a generated patrol whose stop,
# detour and length are known by construction.
# usage: sh test_track.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
d=$src/tests/data/gpx
agreement=$src/data/idlib-2020/agreement.geojson
rundir=$d # expect runs truce from the fixture directory

# golden NAME "ARGS": stdout (and stderr, when NAME.err exists) must match
# tests/data/gpx/expected/NAME.out byte for byte.
golden() {
    name=$1; args=$2
    # shellcheck disable=SC2086
    (cd "$d" && "$truce" $args) >"$out" 2>"$err"
    if ! cmp -s "$out" "$d/expected/$name.out"; then
        bad "truce $args: stdout differs from expected/$name.out"
        diff "$d/expected/$name.out" "$out" >&2
    elif [ -f "$d/expected/$name.err" ] && ! cmp -s "$err" "$d/expected/$name.err"; then
        bad "truce $args: stderr differs from expected/$name.err"
        diff "$d/expected/$name.err" "$err" >&2
    else
        ok
    fi
}

golden track_text "track v11_tracks.gpx backwards.gpx"
golden track_json "track --format json v11_tracks.gpx missing_time.gpx"

# Flagged points are warnings: exit 0.
expect 0 "track missing_time.gpx" "flagged    no_time 2, bad_time 1, bad_ele 1" \
    "missing_time.gpx:7: warning: track \"gaps in time\": time: trkpt has no <time>"
expect 0 "track speed.gpx" "flagged    too_fast 2" "speed.gpx:8: warning:" "speed.gpx:9: warning:"
expect 0 "track --max-speed 7000 speed.gpx" "flagged    none"
[ -s "$err" ] && bad "--max-speed 7000: unexpected diagnostics" || ok
expect 0 "track v10.gpx" "GPX 1.0, 1 track" "length     16.987 km" "duration   0:20:00"

# Rejected points: exit 3, but the rest is still summarised.
expect 3 "track bad_position.gpx" "1 waypoint, 6 rejected points" "2 with a time, 4 rejected" \
    'bad_position.gpx:9: error: track "bad positions": lat: found "91.5"' \
    "bad_position.gpx:16: error: trkpt: <trkpt> is not where GPX allows it; point rejected"

# Malformed and hostile files: exit 3 with the line.
expect 3 "track truncated.gpx" "truncated.gpx:7: error: malformed XML: no element found"
expect 3 "track mismatched.gpx" "mismatched.gpx:6: error: malformed XML: mismatched tag"
expect 3 "track bad_entity.gpx" "bad_entity.gpx:4: error: malformed XML: undefined entity"
expect 3 "track doctype.gpx" "doctype.gpx:2: error: a DOCTYPE declaration is not allowed"
expect 3 "track huge_lat.gpx" "huge_lat.gpx:6: error: a lat or lon attribute is longer than 65536"
expect 3 "track not_gpx.kml" "root element is <kml>"
# One bad file does not hide the good ones.
expect 3 "track truncated.gpx v10.gpx" "track GPX 1.0 track" "truncated.gpx:7: error"

# I/O and usage.
expect 4 "track nowhere.gpx" "nowhere.gpx: error: cannot read"
expect 4 "track nowhere.gpx truncated.gpx v10.gpx" "track GPX 1.0 track"
expect 2 "track"
expect 2 "track --format xml v10.gpx" "unknown format 'xml'"
expect 2 "track --max-speed fast v10.gpx" "bad value 'fast' for --max-speed"
expect 0 "track --help" "usage: truce track"
expect 0 "--help" "track " "gen-track "

# A generated patrol: a 10-minute stop at km 10 and a 2 km detour from km 32
# to km 42, no noise.  The path is the route (58.429 km) plus the two 2 km legs.
"$truce" gen-track --stop 10,600 --detour 32,42,2000 -o "$tmp/gen.gpx" "$agreement" 2>"$err" &&
    [ ! -s "$err" ] && ok || bad "gen-track: exit $?"
expect 0 "track $tmp/gen.gpx" "track synthetic patrol (trk, line 3)" "length     62.429 km" \
    "start      2020-03-15T07:00:00Z" "stops      1" \
    "2020-03-15T07:15:00Z to 2020-03-15T07:25:00Z (0:10:00)" "flagged    none"
grep -q "<desc>truce-gen .*detour_max_offset_m=2000.000000 stop_start_s=1584256500.000 stop_end_s=1584257100.000" \
    "$tmp/gen.gpx" && ok || bad "gen-track: the truth is not in <desc>"
# 09:00 local on the route's first day (Damascus, UTC+2) is 07:00Z.
expect 0 "gen-track --spacing 1000 --start 2020-03-14T12:00:00Z --turn-back 20 --name Recce $agreement" \
    "<name>Recce</name>" "2020-03-14T12:00:00.000Z" "covered_to_m=20000.000000"
expect 0 "gen-track --noise 5 --seed 7 --spacing 5000 $agreement" "lat=\""
cp "$out" "$tmp/a.gpx"
(cd "$d" && "$truce" gen-track --noise 5 --seed 7 --spacing 5000 "$agreement") | cmp -s - "$tmp/a.gpx" &&
    ok || bad "gen-track: the same seed gave a different track"
expect 2 "gen-track --turn-back 70 $agreement" "do not fit route m4-patrol (58.429 km)"
expect 2 "gen-track --stop 35,60 --detour 32,42,2000 $agreement" "do not fit route"
expect 2 "gen-track --detour 1,2 $agreement" "bad value '1,2'"
expect 3 "gen-track --route nope $agreement" "no patrol route nope"
expect 4 "gen-track nowhere.geojson" "cannot read"
expect 0 "gen-track --help" "usage: truce gen-track"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
