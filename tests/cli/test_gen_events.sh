#!/bin/sh
# truce-gen-events --scatter KM and --places FILE: where events are.
#   - --scatter 0 writes what no option writes, byte for byte (file, manifest,
#     expected rejects), and no option what it wrote before --scatter existed
#     (pinned sums), so the benchmark's gazetteer file does not change;
#   - --scatter 20 gives practically every event coordinates of its own, each
#     within 20 km of its place, spread uniformly by area (about half within
#     20/sqrt(2) km), and the manifest's LON/LAT are the points in the file
#     (latitude/longitude columns as truce reads them, UCDP's geom_wkt too);
#   - a value that is not a number in [0, 500] is refused with exit 2;
#   - --places data/idlib-2020/places.csv puts every event exactly on a place
#     of the file (its name with its point), over more than 1,000 places for
#     20,000 rows, the commonest far above the median (Zipf), the rest of
#     each row as without --places; names with commas, quotes, line breaks
#     and Arabic come through every layout to truce whole; a file without a
#     lat column, with a bad lat, empty or without rows exits 2 naming the
#     file and line.
# Distances are on a sphere of radius 6371 km, not the generator's flat
# approximation, so they check it independently; the 0.2 km over 20 allows
# for both approximations (up to about 0.6% apart here) and the
# rounding to 5 decimals (about 1 m).
# usage: sh test_gen_events.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
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
# The other three layouts' sums were taken when --places came, with the
# generator of the commit before it.
for pin in "acled-2023 792971872 128235" "ucdp 3342766338 171274" "geojson 3847849840 97325" \
    "acled-pre2023 2887592685 126973" "ucdp-noheader 3426109584 170728" \
    "ucdp-hxl 885210219 171676"; do
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

# --places: the bundled gazetteer.  NAME|LON|LAT of each of its places as
# the generator writes them (5 decimals, trailing zeros trimmed).  The file
# has no quoted fields, which this split by commas relies on.
gaz=$src/data/idlib-2020/places.csv
if grep -q '"' "$gaz"; then
    bad "$gaz has quoted fields: the test's split by commas no longer works"
fi
awk -F, 'function num(x) { x = sprintf("%.5f", x); sub(/0+$/, "", x); sub(/\.$/, "", x); return x }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { print $col["name"] "|" num($col["lon"]) "|" num($col["lat"]) }' "$gaz" | sort -u >gaz.txt
[ "$(wc -l <gaz.txt)" -ge 4000 ] && ok ||
    bad "gaz.txt: $(wc -l <gaz.txt) places, want 4,000 or more"
cut -d'|' -f2,3 gaz.txt | sort -u >gaz.points

# GeoJSON: every feature's name and point are a place of the file.
"$gen" --layout geojson --rows 5000 --seed 5 --places "$gaz" -o zipf.geojson
features zipf.geojson | sort >zipf.features
if [ "$(wc -l <zipf.features)" -eq 5000 ] &&
    [ -z "$(sort -u zipf.features | comm -23 - gaz.txt)" ]; then
    ok
else
    bad "--places, geojson: features that are no place of $gaz:"
    sort -u zipf.features | comm -23 - gaz.txt | head -n 5 >&2
fi

# ACLED: the manifest's good points are places of the file, truce reads
# them from the file, and they are many and skewed.
"$gen" --layout acled-2023 --rows 20000 --seed 2 --bad all=2 --places "$gaz" \
    --manifest zipf.manifest -o zipf.csv
grep '^good,' zipf.manifest | cut -d, -f6,7 | tr , '|' >zipf.points
if [ "$(wc -l <zipf.points)" -gt 19900 ] &&
    [ -z "$(sort -u zipf.points | comm -23 - gaz.points)" ]; then
    ok
else
    bad "--places, acled-2023: points that are no place of $gaz:"
    sort -u zipf.points | comm -23 - gaz.points | head -n 5 >&2
fi
"$truce" events zipf.csv >zipf.jsonl 2>zipf.err
grep '^good,' zipf.manifest | cut -d, -f2,6,7 | sort >zipf.want
sed -E 's/^\{"id":"([^"]*)",.*"lon":([^,]*),"lat":([^,]*),.*$/\1,\2,\3/' zipf.jsonl | sort >zipf.got
if [ -s zipf.want ] && cmp -s zipf.want zipf.got; then
    ok
else
    bad "--places: the points truce reads differ from the manifest's"
    diff zipf.want zipf.got | head -n 10 >&2
fi
# Zipf with s = 1 over 4,629 places: the first holds about 11% (2,200 of
# 20,000), some 3,000 places are used, most of them once or twice.
if sort zipf.points | uniq -c | sort -rn | awk '{ c[NR] = $1 }
    END {
        med = c[int((NR + 1) / 2)]
        printf "%d places used, the commonest %d events, the median %d\n", NR, c[1], med
        exit !(NR > 1000 && c[1] > 1000 && c[1] > 50 * med)
    }' >zipf.stats; then
    ok
else
    bad "--places: not many places, or not skewed: $(cat zipf.stats)"
fi
# The same seed without --places: the same rows but for the places (the
# first eight ACLED columns hold no commas or quotes).
"$gen" --layout acled-2023 --rows 20000 --seed 2 --bad all=2 -o plain.csv
cut -d, -f1-8 zipf.csv >zipf.head
cut -d, -f1-8 plain.csv >plain.head
if cmp -s zipf.head plain.head && ! cmp -s zipf.csv plain.csv; then
    ok
else
    bad "--places changes more than the places, or nothing"
fi

# Names that need quoting or escaping, in a CRLF file with a BOM: every
# layout writes them so that truce reads every good row and rejects only the
# bad ones.
printf '\357\273\277id,name,lat,lon\r\n1,"Kafr ""Big"", North",35.8,36.6\r\n' >names.csv
printf '2,"Two\r\nlines",35.81,36.61\r\n' >>names.csv
printf '3,\331\202\330\261\331\212\330\251,35.9,36.7\r\n' >>names.csv
printf '4,,36,36.5\r\n5,back\\slash,35.7,36.4\r\n' >>names.csv
for layout in acled-2023 acled-pre2023 ucdp ucdp-noheader ucdp-hxl geojson; do
    "$gen" --layout "$layout" --rows 600 --seed 4 --bad all=2 --places names.csv \
        --manifest names.manifest --expected-rejects names.want-rejects -o "names.$layout"
    "$truce" events --rejects names.rejects "names.$layout" >names.jsonl 2>names.err
    if [ "$(wc -l <names.jsonl)" -eq "$(grep -c '^good,' names.manifest)" ] &&
        cmp -s names.want-rejects names.rejects; then
        ok
    else
        bad "--places names.csv, $layout: truce read $(wc -l <names.jsonl) events," \
            "want $(grep -c '^good,' names.manifest)"
        head -n 5 names.err >&2
    fi
done
# The names as JSON strings (escaped), and the place without a name called
# after its row.
sed -n 's/.*"place": "\(.*\)", "radius_m".*/\1/p' names.geojson | sort -u >names.txt
for want in 'Kafr \"Big\", North' 'Two\u000d\u000alines' 'back\\slash' 'place 4'; do
    grep -qxF "$want" names.txt && ok || bad "names.geojson: no place named '$want':"
done

# Bad gazetteers: exit 2, naming the file and the line.  Line 5 of
# badlat.csv is its fourth row: a quoted name spans lines 2 and 3.
printf 'name,latitude,lon\nA,35.1,36.1\n' >nolat.csv
printf 'name,lat,lon\n"Multi\nline",35.1,36.1\nB,35.2,36.2\nC,N35.3,36.3\nD,35.4,36.4\n' >badlat.csv
: >empty.csv
printf 'name,lat,lon\n' >norows.csv
printf 'name,lat,lon\nA,35.1,\n' >nolon.csv
for case in "nolat.csv:1: the header has no 'lat' column" \
    "badlat.csv:5: lat: 'N35.3' is not a number" \
    "empty.csv:1: empty file" \
    "norows.csv:2: no places after the header" \
    "nolon.csv:2: lon: missing"; do
    file=${case%%:*}
    status 2 "$gen" --rows 5 --places "$file"
    grep -qF "truce-gen-events: $case" "$tmp/err" && ok ||
        bad "--places $file: want '$case', got: $(cat "$tmp/err")"
done
status 2 "$gen" --rows 5 --places no-such-file.csv
grep -qF "no-such-file.csv" "$tmp/err" && ok || bad "--places no-such-file.csv: $(cat "$tmp/err")"

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
grep -q -- "--places FILE" "$tmp/out" && ok || bad "--help does not list --places"

# --bytes counts what it wrote, so a pipe gets the same rows as a file.
"$gen" --bytes 200000 --seed 5 -o "$tmp/bytes.csv"
"$gen" --bytes 200000 --seed 5 | cat >"$tmp/bytes-pipe.csv"
cmp -s "$tmp/bytes.csv" "$tmp/bytes-pipe.csv" && ok || bad "--bytes: a pipe gets other rows than a file"
[ "$(wc -c <"$tmp/bytes.csv")" -ge 200000 ] && ok || bad "--bytes 200000: file too short"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
