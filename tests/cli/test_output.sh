#!/bin/sh
# Output files (docs/cli.md, "Output files"): -o and --rejects are written to
# a temporary file and renamed into place when the command wrote all of it.
# A failed command leaves a previous file byte for byte; a successful one
# replaces it and keeps its mode; a link stays a link; a device stays a
# device; a place that cannot be written gives "truce SUB: PATH: reason",
# exit 4, the target untouched; no temporary file is ever left behind.
# usage: sh test_output.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
A=$src/data/idlib-2020/agreement.geojson
E=$src/data/idlib-2020/events.geojson
G=$src/tests/data/gpx/v11_tracks.gpx
d=$tmp/w
mkdir "$d"
umask 022

# no_temporaries: nothing named like our temporary files anywhere under $tmp
no_temporaries() {
    left=$(find "$tmp" -name '.*.truce-*')
    [ -z "$left" ] && ok || bad "temporary files left after $1: $left"
}
# same FILE TEXT: FILE holds exactly TEXT (and a newline)
same() {
    printf '%s\n' "$2" | cmp -s - "$1" && ok || bad "$1 changed: $(head -c 80 "$1")"
}
# says PHRASE: stderr of the last command has PHRASE
says() {
    grep -qF -- "$1" "$tmp/err" && ok || { bad "stderr lacks '$1'"; cat "$tmp/err" >&2; }
}

# --- every command replaces a previous file and keeps its mode -----------
track=$d/patrol.gpx
"$truce" gen-track -o "$track" "$A" 2>/dev/null
for args in "check" "corridor" "gen-track" "classify:$E" "events:$E" "stats:$E" \
    "map:$E:svg" "map:$E:png" "timeline:$E:svg" "timeline:$E:png" "report:$E" "track:$G" \
    "patrol:$track"; do
    c=${args%%:*}
    rest=${args#"$c"}
    in=$(echo "$rest" | cut -d: -f2)
    ext=$(echo "$rest" | cut -d: -f3)
    o=$d/out.${ext:-txt}
    echo old >"$o"
    chmod 640 "$o"
    case $c in
    events | track) status 0 "$truce" $c -o "$o" $in ;;
    map) status 0 "$truce" $c --no-borders -o "$o" "$A" $in ;;
    report) status 0 "$truce" $c --no-borders -o "$o" "$A" $in ;;
    *) status 0 "$truce" $c -o "$o" "$A" $in ;;
    esac
    [ "$(head -c 3 "$o")" != old ] && [ -s "$o" ] && ok || bad "$c did not replace $o"
    [ "$(stat -c %a "$o")" = 640 ] && ok || bad "$c: mode of $o is $(stat -c %a "$o")"
    no_temporaries "$c"
    rm -f "$o"
done
# a new file gets 0666 less the umask
status 0 "$truce" check -o "$d/new.txt" "$A"
[ "$(stat -c %a "$d/new.txt")" = 644 ] && ok || bad "new file mode $(stat -c %a "$d/new.txt")"

# --- a failed command leaves the previous file byte for byte --------------
# classify: the first file judged, the second unreadable: exit 4, the run cut
# short; the output and the rejects keep what they had
echo previous >"$d/c.jsonl"
echo previous rejects >"$d/rej.csv"
status 4 "$truce" classify -f jsonl --rejects "$d/rej.csv" -o "$d/c.jsonl" "$A" "$E" "$d/no-such.csv"
says "no-such.csv"
same "$d/c.jsonl" previous
same "$d/rej.csv" "previous rejects"
no_temporaries "a failed classify"
# rejected rows are not a failure of the run: exit 3, both files replaced
"$gen" --layout acled-2023 --rows 2 --seed 5 -o "$d/bad.csv"
echo "bad,row" >>"$d/bad.csv"
status 3 "$truce" events --rejects "$d/rej.csv" -o "$d/c.jsonl" "$d/bad.csv"
[ "$(wc -l <"$d/c.jsonl")" -eq 2 ] && ok || bad "events output: $(cat "$d/c.jsonl")"
grep -q '^bad,row$' "$d/rej.csv" && ok || bad "rejects not replaced: $(cat "$d/rej.csv")"
no_temporaries "events with rejects"
# a write that fails in the middle of a regular file (the file size limit:
# EFBIG, the path a full disk takes): exit 4, the reason, the file as it was
echo previous >"$d/big.png"
(
    trap '' XFSZ
    ulimit -f 8
    "$truce" map --no-borders -o "$d/big.png" "$A" "$E" >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/rc"
)
[ "$(cat "$tmp/rc")" -eq 4 ] && ok || bad "map past the size limit: exit $(cat "$tmp/rc")"
says "truce map: $d/big.png: write failed: File too large"
same "$d/big.png" previous
no_temporaries "a PNG past the size limit"
(
    trap '' XFSZ
    ulimit -f 8
    "$truce" report --no-borders -o "$d/big.png" "$A" "$E" >"$tmp/out" 2>"$tmp/err"
    echo $? >"$tmp/rc"
)
[ "$(cat "$tmp/rc")" -eq 4 ] && ok || bad "report past the size limit: exit $(cat "$tmp/rc")"
says "write failed: File too large"
same "$d/big.png" previous
no_temporaries "a report past the size limit"

# --- symbolic links are written through and stay links --------------------
echo old >"$d/real.json"
ln -s real.json "$d/link.json"
status 0 "$truce" check -f json -o "$d/link.json" "$A"
[ -L "$d/link.json" ] && [ "$(readlink "$d/link.json")" = real.json ] && ok || bad "link replaced"
grep -q '"idlib-2020"' "$d/real.json" && ok || bad "link target not written"
mkdir "$d/sub"
ln -s sub/made.svg "$d/dangling.svg"
status 0 "$truce" map --no-borders -o "$d/dangling.svg" "$A"
[ -L "$d/dangling.svg" ] && grep -q '<svg' "$d/sub/made.svg" && ok || bad "dangling link"
# a PNG that fails (here: the picture cannot be drawn at that size) leaves the
# link and its file
cp "$d/real.json" "$d/real.before"
ln -s real.json "$d/pic.png"
status 2 "$truce" map --no-borders --width 0 -o "$d/pic.png" "$A"
[ -L "$d/pic.png" ] && cmp -s "$d/real.json" "$d/real.before" && ok || bad "failed PNG via a link"
no_temporaries "links"

# /dev/stdout is the open file the shell gave: appended to after >>
echo first >"$d/log"
"$truce" check -o /dev/stdout "$A" >>"$d/log" 2>"$tmp/err"
[ "$(head -1 "$d/log")" = first ] && grep -q idlib-2020 "$d/log" && ok || bad "-o /dev/stdout >>"

# --- devices are written in place and never removed -----------------------
if [ "$(id -u)" -eq 0 ] && mknod "$d/full" c 1 7 2>/dev/null && mknod "$d/null" c 1 3; then
    ln -s full "$d/out.png"
    status 4 "$truce" map --no-borders -o "$d/out.png" "$A"
    says "truce map: $d/out.png: write failed: No space left on device"
    [ -c "$d/full" ] && [ -L "$d/out.png" ] && ok || bad "the device or its link is gone"
    status 4 "$truce" map --no-borders --format png -o "$d/full" "$A"
    [ -c "$d/full" ] && ok || bad "map --format png -o full removed the device"
    status 4 "$truce" report --no-borders -o "$d/full" "$A" "$E"
    says "truce report: $d/full: write failed: No space left on device"
    [ -c "$d/full" ] && ok || bad "report -o full removed the device"
    ln -s full "$d/full.jsonl"
    status 4 "$truce" classify -f jsonl -o "$d/full.jsonl" "$A" "$E"
    [ -c "$d/full" ] && [ -L "$d/full.jsonl" ] && ok || bad "classify to a link to full"
    status 0 "$truce" map --no-borders --format png -o "$d/null" "$A"
    [ -c "$d/null" ] && ok || bad "map -o null removed the device"
    rm -f "$d/out.png" "$d/full.jsonl"
fi
no_temporaries "devices"

# --- places that cannot be written: exit 4, the reason, nothing changed ---
echo plain >"$d/plain"
status 4 "$truce" check -o "$d/plain/x" "$A"
says "truce check: $d/plain/x: Not a directory"
same "$d/plain" plain
status 4 "$truce" check -o "$d" "$A"
says "truce check: $d: Is a directory"
status 4 "$truce" map --no-borders -o "$d/no/such.png" "$A"
says "truce map: $d/no/such.png: No such file or directory"
# A read-only place with a file in it.  Root passes permission checks, so as
# root the place is a read-only file system (a tmpfs mounted read-only; the
# part is skipped where mounting is not allowed); otherwise a directory
# without write permission.
ro=$d/ro
mkdir "$ro"
place=
if [ "$(id -u)" -eq 0 ]; then
    if mount -t tmpfs -o size=1m tmpfs "$ro" 2>/dev/null; then
        echo kept >"$ro/out.txt"
        mount -o remount,ro "$ro" && place=mount
        reason="Read-only file system"
    fi
else
    echo kept >"$ro/out.txt"
    chmod 555 "$ro"
    place=dir
    reason="Permission denied"
fi
if [ -n "$place" ]; then
    for c in check corridor gen-track; do
        status 4 "$truce" $c -o "$ro/out.txt" "$A"
        says "truce $c: $ro/out.txt: $reason"
        same "$ro/out.txt" kept
    done
    status 4 "$truce" map --no-borders -o "$ro/out.txt" --format png "$A"
    says "truce map: $ro/out.txt: $reason"
    same "$ro/out.txt" kept
    status 4 "$truce" classify --rejects "$ro/out.txt" "$A" "$E"
    says "truce classify: $ro/out.txt: $reason"
    same "$ro/out.txt" kept
    [ $place = mount ] && umount "$ro"
    [ $place = dir ] && chmod 755 "$ro"
fi
no_temporaries "read-only places"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
