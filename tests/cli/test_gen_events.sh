#!/bin/sh
# truce-gen-events --scatter KM: events off their gazetteer places.
#   - --scatter 0 writes what no option writes, byte for byte (file, manifest,
#     expected rejects), and no option what it wrote before --scatter existed
#     (pinned sums), so the benchmark's gazetteer file does not change;
#   - --scatter 20 gives practically every event coordinates of its own, each
#     within 20 km of its place, spread uniformly by area (about half within
#     20/sqrt(2) km), and the manifest's LON/LAT are the points in the file
#     (latitude/longitude columns as truce reads them, UCDP's geom_wkt too);
#   - a value that is not a number in [0, 500] is refused with exit 2.
# Distances are on a sphere of radius 6371 km, not the generator's flat
# approximation, so they check it independently; the 0.2 km over 20 allows
# for both approximations (up to about 0.6% apart here) and the
# rounding to 5 decimals (about 1 m).
# usage: sh test_gen_events.sh TRUCE_BINARY SOURCE_DIR
set -u
truce=$1
src=$2
case $truce in /*) ;; *) truce=$(pwd)/$truce ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
gen=$(dirname "$truce")/tools/truce-gen-events
. "$src/tests/cli/lib.sh"
cd "$tmp" || exit 1

# --scatter 0 is no option at all.
for layout in acled-2023 ucdp geojson; do
    for seed in 3 11; do
        for s in none zero; do
            set -- --layout "$layout" --seed "$seed" --rows 500 --bad all=2 --multiline 10 \
                --manifest "$s.manifest" --expected-rejects "$s.rejects" -o "$s.out"
            [ "$s" = zero ] && set -- "$@" --scatter 0
            "$gen" "$@"
        done
        if cmp -s none.out zero.out && cmp -s none.manifest zero.manifest &&
            cmp -s none.rejects zero.rejects; then
            ok
        else
            bad "$layout seed $seed: --scatter 0 differs from no --scatter"
        fi
    done
done

# ... and no option writes what it wrote before --scatter existed (the extra
# randoms are drawn only when KM > 0): the benchmarks' files, and any numbers
# measured on them, stay comparable.  Sums of the files as of that commit;
# when the generator's output changes on purpose, update them and say so.
for pin in "acled-2023 792971872 128235" "ucdp 3342766338 171274" "geojson 3847849840 97325"; do
    # shellcheck disable=SC2086 # split into layout, sum, size
    set -- $pin
    got=$("$gen" --layout "$1" --seed 2 --rows 300 --bad all=2 | cksum)
    [ "$got" = "$2 $3" ] && ok || bad "$1 seed 2: cksum '$got', want '$2 $3' (the output changed)"
done

# The gazetteer: NAME|LON|LAT of every place, from a file without --scatter
# (GeoJSON features are one a line and name their place).
features() {
    sed -n 's/.*"coordinates": \[\([^,]*\), \([^]]*\)\].*"place": "\([^"]*\)".*/\3|\1|\2/p' "$1"
}
"$gen" --layout geojson --rows 2000 --seed 5 -o places.geojson
features places.geojson | sort -u >places.txt
if [ "$(wc -l <places.txt)" -ge 20 ] &&
    [ "$(cut -d'|' -f1 places.txt | sort -u | wc -l)" -eq "$(wc -l <places.txt)" ]; then
    ok
else
    bad "places.geojson: want 20 or more places, each at one point:"
    cat places.txt >&2
fi

# check_points WHAT MODE FILE: FILE holds NAME|LON|LAT (MODE own: distance to
# the named place) or LON|LAT (MODE nearest: to the nearest place).
check_points() {
    what=$1 mode=$2 file=$3
    if awk -F'|' -v mode="$mode" -v what="$what" '
        function rad(x) { return x * 3.14159265358979323846 / 180 }
        function km(lon1, lat1, lon2, lat2,   a) {
            a = sin(rad(lat2 - lat1) / 2)^2 + \
                cos(rad(lat1)) * cos(rad(lat2)) * sin(rad(lon2 - lon1) / 2)^2
            return 2 * 6371 * atan2(sqrt(a), sqrt(1 - a))
        }
        NR == FNR { plon[$1] = $2; plat[$1] = $3; next }
        {
            if (mode == "own") {
                if (!($1 in plon)) { printf "%s: unknown place %s\n", what, $1; bad++; next }
                d = km(plon[$1], plat[$1], $2, $3); key = $2 "|" $3
            } else {
                d = -1
                for (p in plon) {
                    x = km(plon[p], plat[p], $1, $2)
                    if (d < 0 || x < d) d = x
                }
                key = $1 "|" $2
            }
            n++
            if (d > 20.2) { printf "%s: %s is %.3f km from its place\n", what, $0, d; bad++ }
            if (d > max) max = d
            if (d <= 20 / sqrt(2)) inner++
            if (!(key in seen)) distinct++
            seen[key] = 1
        }
        END {
            if (n < 100) { printf "%s: only %d points\n", what, n; exit 1 }
            if (distinct < 0.99 * n) {
                printf "%s: %d distinct points of %d\n", what, distinct, n; bad++
            }
            if (mode == "own" && max < 19) {
                printf "%s: farthest %.3f km, want 19 to 20\n", what, max; bad++
            }
            # Uniform by area: half the disk lies within R/sqrt(2).  The
            # nearest place may be nearer than the own one, so for "nearest"
            # only the lower bound holds.
            f = inner / n
            if (f < 0.44 || (mode == "own" && f > 0.56)) {
                printf "%s: %.3f within 20/sqrt(2) km, want about 0.5\n", what, f; bad++
            }
            exit (bad > 0)
        }' places.txt "$file" >check.out; then
        ok
    else
        bad "$what: --scatter 20 points"
        head -n 20 check.out >&2
    fi
}

# --scatter 20, GeoJSON: each feature against its own place.
"$gen" --layout geojson --rows 2000 --seed 5 --scatter 20 -o scattered.geojson
features scattered.geojson >scattered.txt
[ "$(wc -l <scattered.txt)" -eq 2000 ] && ok ||
    bad "scattered.geojson: $(wc -l <scattered.txt) features, want 2000"
check_points "geojson, own place" own scattered.txt

# --scatter 20, every layout with a manifest: the manifest's good points are
# within 20 km of a place, distinct, and are what truce reads from the file.
for layout in acled-2023 ucdp geojson; do
    "$gen" --layout "$layout" --rows 2000 --seed 7 --bad all=2 --scatter 20 \
        --manifest "$layout.manifest" -o "$layout.in"
    grep '^good,' "$layout.manifest" | cut -d, -f6,7 | tr , '|' >"$layout.points"
    check_points "$layout manifest, nearest place" nearest "$layout.points"
    "$truce" events "$layout.in" >"$layout.jsonl" 2>"$layout.err"
    grep '^good,' "$layout.manifest" | cut -d, -f2,6,7 | sort >"$layout.want"
    sed -E 's/^\{"id":"([^"]*)",.*"lon":([^,]*),"lat":([^,]*),.*$/\1,\2,\3/' "$layout.jsonl" |
        sort >"$layout.got"
    if [ -s "$layout.want" ] && cmp -s "$layout.want" "$layout.got"; then
        ok
    else
        bad "$layout: the points truce reads differ from the manifest's"
        diff "$layout.want" "$layout.got" | head -n 10 >&2
    fi
done
# UCDP writes each point again in geom_wkt (untrimmed): every good
# point of the manifest is there.
grep -o 'POINT ([0-9.-]* [0-9.-]*)' ucdp.in | tr -d '()' | awk '{ print $2 "|" $3 }' >wkt.points
if awk -F'|' 'NR == FNR { wkt[sprintf("%.5f|%.5f", $1, $2)] = 1; next }
    !(sprintf("%.5f|%.5f", $1, $2) in wkt) { print "not in geom_wkt: " $0; miss++ }
    END { exit (miss > 0) }' wkt.points ucdp.points >check.out; then
    ok
else
    bad "ucdp: geom_wkt does not hold the manifest's points"
    head -n 5 check.out >&2
fi

# Bad values: exit 2 and say what is wrong.
for v in -1 abc 1e9 nan inf "" 500.1 20km; do
    status 2 "$gen" --rows 5 --scatter "$v"
    grep -q -- "--scatter: bad value '$v'" "$tmp/err" && ok ||
        bad "--scatter '$v': no message: $(cat "$tmp/err")"
done
status 2 "$gen" --scatter
status 0 "$gen" --rows 5 --scatter 500
status 0 "$gen" --rows 5 --scatter 0.5
status 0 "$gen" --help
grep -q -- "--scatter KM" "$tmp/out" && ok || bad "--help does not list --scatter"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
