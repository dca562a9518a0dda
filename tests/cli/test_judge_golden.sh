#!/bin/sh
# No change in behaviour: what truce classify (every format) and truce stats
# (every breakdown) write, byte for byte, on the bundled data (goldens in
# tests/cli/golden/classify_idlib.*, stats_idlib.*) and on a generated file
# of 100,000 ACLED rows with 150 bad ones (their SHA-256 sums in
# golden/judge_outputs.sha256, with the input's, to tell a change in the
# generator from one in truce).  The goldens were made before judging moved
# from the CLI into the library (judge.h, verdict_write.h); stats_idlib.csv
# was remade when the statistics writers moved too (stats_write.h): a
# breakdown's key is now always quoted, as libcsv quotes the event writer's
# text fields, and the file is the same as before when parsed as CSV.  The
# classify goldens were remade when classify came to keep every rule an
# event breaks: each record gained `rules` (after response_to; in CSV the
# column "rules"; in the table "; also RULE (VERDICT)" after the reason),
# and nothing else changed (checked by parsing both and dropping the field);
# the stats goldens then gained the "rule" breakdown (events per rule they
# break), always written, and nothing else.  Sightings then added the
# schema's seven sighting fields (null here), `zones_fraction_inside` and
# each corridor's `fraction_inside` (CSV: a fraction_inside column after
# each zone's and corridor's position), and nothing else (checked by
# parsing both and dropping them); the table and the stats are unchanged.
# The corridor's fast path (issue 19) then changed classify_idlib.csv and
# generated.csv in the corridor's distance_m and chainage_m only, by at most
# 7.2e-9 m (those two print every digit; the other formats round), and
# nothing else: checked by parsing both against the exact solve's output,
# which is byte for byte the old golden.
# usage: sh test_judge_golden.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
g=$src/tests/cli/golden
cp "$src/data/idlib-2020/agreement.geojson" "$src/data/idlib-2020/events.geojson" "$tmp/"
cd "$tmp" || exit 1
all="-b party -b type -b zone -b corridor-km -b day"

# same GOLDEN FILE: FILE is GOLDEN byte for byte
same() {
    cmp -s "$2" "$g/$1" && ok || { bad "$1 differs"; diff "$g/$1" "$2" | head -20 >&2; }
}
# summed NAME FILE: FILE's SHA-256 is the one listed for NAME
summed() {
    want=$(awk -v n="$1" '$2 == n { print $1 }' "$g/judge_outputs.sha256")
    got=$(sha256sum "$2" | cut -d' ' -f1)
    [ -n "$want" ] && [ "$want" = "$got" ] && ok || bad "$1: sha256 $got, expected $want"
}

for f in jsonl csv txt geojson; do
    fmt=$f
    [ "$f" = txt ] && fmt=table
    "$truce" classify -f "$fmt" agreement.geojson events.geojson >"classify_idlib.$f" 2>err
    [ $? -eq 0 ] && ok || bad "classify -f $fmt: exit status"
    grep -qx 'truce classify: read 36, accepted 36, rejected 0; violations 16, possible 3, none 17' err &&
        ok || { bad "classify -f $fmt: summary"; cat err >&2; }
    if [ "$f" = geojson ]; then summed classify_idlib.geojson classify_idlib.geojson; else
        same "classify_idlib.$f" "classify_idlib.$f"; fi
done
# shellcheck disable=SC2086
"$truce" stats -f json $all agreement.geojson events.geojson >stats_idlib.json 2>/dev/null
same stats_idlib.json stats_idlib.json
# shellcheck disable=SC2086
"$truce" stats $all agreement.geojson events.geojson >stats_idlib.txt 2>/dev/null
same stats_idlib.txt stats_idlib.txt
# shellcheck disable=SC2086
"$truce" stats -f csv $all agreement.geojson events.geojson >stats_idlib.csv 2>/dev/null
same stats_idlib.csv stats_idlib.csv

"$gen" --rows 100000 --seed 7 --bad all=10 --places "$src/data/idlib-2020/places.csv" \
    -o ev.csv || bad "generator"
summed generated.input.csv ev.csv
for f in jsonl csv geojson table; do
    "$truce" classify -f "$f" --threads 3 agreement.geojson ev.csv >"out.$f" 2>"out.$f.err"
    echo "exit $?" >>"out.$f.err"
    summed "generated.$f" "out.$f"
done
summed generated.jsonl.err out.jsonl.err
# shellcheck disable=SC2086
"$truce" stats -f json $all --threads 3 agreement.geojson ev.csv >out.stats.json 2>out.stats.err
echo "exit $?" >>out.stats.err
summed generated.stats.json out.stats.json
summed generated.stats.err out.stats.err

# A failed write: exit 4, the same messages as before (the table's only
# from closing the output, which names it).
if [ -w /dev/full ]; then
    for f in jsonl table; do
        "$truce" classify -f "$f" --threads 2 -o /dev/full agreement.geojson ev.csv -q 2>err
        echo "exit $?" >>err
        grep -v '^truce classify: read ' err >got
        { [ "$f" = table ] || echo 'truce classify: writing: input/output error'
          echo 'truce classify: /dev/full: write failed: No space left on device'
          echo 'exit 4'; } >want
        cmp -s got want && ok || { bad "classify -f $f -o /dev/full"; diff want got >&2; }
    done
fi

echo "judge golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
