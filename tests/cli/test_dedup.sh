#!/bin/sh
# truce dedup on a small generated set (tools/gen_dedup.py: 400 incidents
# told by 1 to 4 sources in four files and formats): precision and recall
# of the pairs it finds (tools/dedup_score.py) at least 0.95, one line per
# cluster with every report in exactly one; stats --dedup counts incidents.
# usage: sh test_dedup.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
python3 "$src/tools/gen_dedup.py" --incidents 400 --seed 5 "$tmp/g" || bad "generator"
files="$tmp/g/acled.csv $tmp/g/ucdp.csv $tmp/g/party.jsonl $tmp/g/observer.jsonl"
expect 0 "dedup -f jsonl $files" "rejected 0"
cp "$out" "$tmp/clusters.jsonl"
python3 "$src/tools/dedup_score.py" "$tmp/g/truth.csv" "$tmp/clusters.jsonl" >"$tmp/score" ||
    bad "scoring"
awk '/^precision/ { exit !($2 >= 0.95 && $4 >= 0.95) }' "$tmp/score" && ok ||
    bad "precision/recall: $(cat "$tmp/score")"
reports=$(($(wc -l <"$tmp/g/truth.csv") - 1))
members=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["members"]) for l in open(sys.argv[1])))' "$tmp/clusters.jsonl")
[ "$members" -eq "$reports" ] && ok || bad "members $members, reports $reports"
head -1 "$tmp/clusters.jsonl" | grep -q '^{"cluster":1,"members":\[' && ok || bad "jsonl shape"

# The table lists clusters of two or more reports.
expect 0 "dedup $files" "(representative)" "incident "
# stats --dedup counts incidents: fewer events than without.
expect 0 "stats -q --dedup -f json $src/data/idlib-2020/agreement.geojson $files" "counted as"
grep -o '"events": *[0-9]*' "$out" | head -1 | tr -dc 0-9 >"$tmp/with"
expect 0 "stats -q -f json $src/data/idlib-2020/agreement.geojson $files"
grep -o '"events": *[0-9]*' "$out" | head -1 | tr -dc 0-9 >"$tmp/without"
[ "$(cat "$tmp/with")" -lt "$(cat "$tmp/without")" ] && ok ||
    bad "stats --dedup: $(cat "$tmp/with") vs $(cat "$tmp/without")"
expect 2 "stats --dedup $src/data/idlib-2020/agreement.geojson -" "not stdin"
expect 2 "dedup --min-score 2 $files" "min-score"

echo "dedup: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
