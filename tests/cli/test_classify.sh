#!/bin/sh
# truce classify and truce stats on the bundled Idlib data and on events that
# pin the phase rules (docs/classify.md).
# usage: sh test_classify.sh TRUCE_BINARY SOURCE_DIR
set -u
truce=$1
src=$2
a=$src/data/idlib-2020/agreement.geojson
ev=$src/data/idlib-2020/events.geojson
ph=$src/tests/data/events/phases.geojson
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# has PATTERN: the last output holds PATTERN (fixed string)
has() { grep -qF -- "$1" "$out" && ok || { bad "output lacks: $1"; head -c 2000 "$out" >&2; }; }
line_of() { grep -F "\"id\":\"$1\"" "$out"; }
# verdict ID KEY VALUE: the jsonl line of ID has "KEY":"VALUE"
verdict() { line_of "$1" | grep -qF "\"$2\":\"$3\"" && ok || bad "$1: expected $2 $3: $(line_of "$1" | cut -c1-300)"; }

# The bundled events, JSON Lines.
"$truce" classify -f jsonl "$a" "$ev" >"$out" 2>"$err"
[ $? -eq 0 ] && ok || bad "classify bundled: exit $?"
[ "$(wc -l <"$out")" -eq 36 ] && ok || bad "classify: expected 36 lines"
grep -q "read 36, accepted 36, rejected 0; violations 16, possible 3, none 17" "$err" && ok ||
    bad "classify summary: $(cat "$err")"
verdict IDL20-009.1 violation violation
verdict IDL20-009.1 rule ceasefire-idlib-area
verdict IDL20-008 violation possible
line_of IDL20-008 | grep -qF "no location reported" && ok || bad "IDL20-008 reason"
verdict IDL20-007 phase after
verdict IDL20-007 local_start "2020-03-06T00:01:00+02:00"
verdict IDL20-005 phase before
line_of IDL20-013 | grep -qF '"corridors":{"m4":{"distance_m":' && ok || bad "IDL20-013 corridors"
# Output reads back in.
"$truce" events - <"$out" >/dev/null 2>"$err" && grep -q "read 36, accepted 36, rejected 0" "$err" &&
    ok || bad "classify output does not read back: $(cat "$err")"

# Phases at the ceasefire instant (2020-03-05T22:00Z).
"$truce" classify -f jsonl "$a" "$ph" >"$out" 2>"$err" || bad "classify phases: exit $?"
verdict day-0305 phase before
verdict day-0306 phase after
verdict week-0305 phase spans
verdict week-0305 violation possible
verdict july-0550z phase after
verdict july-0550z local_start "2020-07-14T08:50:00+03:00"
verdict hts violation none
line_of hts | grep -qF "which the rule leaves out" && ok || bad "hts reason"
verdict imprecise violation possible
line_of imprecise | grep -qF '"zones":{"idlib-area":"uncertain"}' && ok || bad "imprecise zone"

# Table, CSV and GeoJSON.
"$truce" classify -f table "$a" "$ph" >"$out" 2>/dev/null || bad "table: exit $?"
has "july-0550z     2020-07-14T08:50+03:00  after  violation ceasefire-idlib-area"
has "day-0305       2020-03-05              before none"

# Responses: the Turkish answer 6 h later and 9 km away links to the attack;
# one 63 km away does not, unless the distance allows it.
rs=$src/tests/data/events/responses.geojson
"$truce" classify -f jsonl "$a" "$rs" >"$out" 2>/dev/null || bad "responses: exit $?"
verdict answer response_to attack
line_of attack | grep -qF '"response_to":null' && ok || bad "attack: response_to null"
line_of far-answer | grep -qF '"response_to":null' && ok || bad "far-answer: response_to null"
"$truce" classify -f jsonl --response-distance 80 "$a" "$rs" >"$out" 2>/dev/null
verdict far-answer response_to attack
"$truce" classify -f table "$a" "$rs" >"$out" 2>/dev/null
has "answer         2020-03-07T14:00..14:05 after  violation"
has "response to attack (6.0 h later, 9.0 km away)"
"$truce" classify --response-window 0 "$a" "$rs" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "--response-window 0: exit 2"
"$truce" classify -f csv "$a" "$ev" >"$out" 2>/dev/null || bad "csv: exit $?"
has '"zone.idlib-area","zone.idlib-area.fraction_inside","corridor.m4.distance_m","corridor.m4.chainage_m","corridor.m4.side","corridor.m4.position","corridor.m4.fraction_inside"'
[ "$(wc -l <"$out")" -eq 37 ] && ok || bad "csv: expected 37 lines"
"$truce" classify -f geojson -o "$out" "$a" "$ev" 2>/dev/null || bad "geojson: exit $?"
has '{"type":"FeatureCollection","features":['
if command -v ogrinfo >/dev/null 2>&1; then
    ogrinfo -al -so "$out" >"$err" 2>&1 && grep -q "Feature Count: 36" "$err" &&
        ! grep -qiE "warning|error" "$err" && ok || bad "ogrinfo: $(cat "$err")"
fi

# Statistics.
"$truce" stats "$a" "$ev" >"$out" 2>"$err" || bad "stats: exit $?"
has "window      30 days each side: 2020-02-05 to 2020-04-04 (local days)"
has "hostile     1 in the 30 days before, 7 in the 30 days after"
has "rate ratio  7 after/before, 95% CI"
has "m4 km 34-35"
"$truce" stats -f json --by party --window 10 "$a" "$ev" >"$out" 2>/dev/null || bad "stats json"
has '"window_days": 10'
has '"party": ['
"$truce" stats -f csv "$a" "$ev" >"$out" 2>/dev/null || bad "stats csv"
has "section,key,value,events,hostile,violations,possible,fatalities"
has "day,2020-03-06,0,11,6,6,2,18"

# Usage errors and bad input.
"$truce" stats --by nothing "$a" "$ev" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "--by nothing: exit 2"
"$truce" stats --window 0 "$a" "$ev" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "--window 0: exit 2"
"$truce" classify -f xml "$a" "$ev" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "-f xml: exit 2"
"$truce" classify "$a" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "no events: exit 2"
"$truce" classify "$src/tests/data/agreements/bad_role.json" "$ev" >/dev/null 2>&1
[ $? -eq 3 ] && ok || bad "bad agreement: exit 3"
printf '{"id":"x","date":"2020-13-01"}\n' | "$truce" classify -f jsonl "$a" - >"$out" 2>"$err"
[ $? -eq 3 ] && grep -q "rejected 1" "$err" && ok || bad "rejected row: exit 3 ($(cat "$err"))"
"$truce" classify --help | grep -q "usage: truce classify" && ok || bad "classify --help"
"$truce" stats --help | grep -q "usage: truce stats" && ok || bad "stats --help"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
