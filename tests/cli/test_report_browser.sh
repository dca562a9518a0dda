#!/bin/sh
# The Idlib report, with its humanitarian provisions (the bundled
# illustrative aid files), in headless Chromium: the screenshot is not
# blank, the page logs nothing to the console (no error, no refusal by its
# CSP; checked to catch a probe page that throws), the page requests nothing
# from the network (Chromium's net log; checked to
# catch a probe page that does load something, and run again with the
# page's CSP removed so the markup itself is shown to load nothing), and the
# DOM after the page's script ran holds one map marker per geocoded event
# and the humanitarian section with its places in need.
# Exits 77 (ctest: skipped) only when no Chromium is installed;
# scripts/packages.txt lists it, so `make test` installs it.
# usage: sh test_report_browser.sh TRUCE_BINARY SOURCE_DIR
set -u
. "$2/tests/cli/lib.sh"
need_browser
agreement=$src/data/idlib-2020/agreement.geojson
events=$src/data/idlib-2020/events.geojson
aid="$src/data/idlib-2020/aid_deliveries.csv $src/data/idlib-2020/aid_access.csv $src/data/idlib-2020/aid_returns.csv"

# open NAME PAGE ARGS...: Chromium headless on file://PAGE with a fresh
# profile, every host name unresolvable, background networking off, and a
# net log in $tmp/NAME.netlog
open_page() {
    name=$1; page=$2; shift 2
    rm -rf "$tmp/profile"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$tmp/profile" --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --host-resolver-rules='MAP * ~NOTFOUND' \
        --enable-logging=stderr --v=0 \
        --log-net-log="$tmp/$name.netlog" "$@" "file://$page" 2>"$tmp/$name.err"
}
# What the page wrote to its console (Chromium logs each message as CONSOLE).
console() {
    grep ':CONSOLE' "$tmp/$1.err"
}
requests() {
    python3 "$src/tests/cli/netlog_requests.py" "$tmp/$1.netlog"
}

# shellcheck disable=SC2086
SOURCE_DATE_EPOCH=0 "$truce" report -q -o "$tmp/report.html" "$agreement" "$events" $aid \
    2>/dev/null || bad "truce report failed"

# Not blank: the top of the page has title, figures and the agreement.
open_page shot "$tmp/report.html" --window-size=1280,2000 --screenshot="$tmp/shot.png" >/dev/null
info=$(python3 "$src/tests/cli/png_info.py" "$tmp/shot.png" 2>&1)
case $info in "1280 2000 "*) ok ;; *) bad "screenshot: '$info'"; cat "$tmp/shot.err" >&2 ;; esac
colours=${info##* }
[ "${colours:-0}" -gt 50 ] 2>/dev/null && ok || bad "screenshot has ${colours:-no} colours: blank?"

# Nothing requested.
requests shot >"$tmp/req"
[ -s "$tmp/req" ] && { bad "the report requested:"; cat "$tmp/req" >&2; } || ok

# The DOM once the script ran: every geocoded event is a marker; the
# script added its filter boxes (so it ran without an error).
open_page dom "$tmp/report.html" --virtual-time-budget=2000 --dump-dom >"$tmp/dom.html"
geocoded=$(python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["features"] if f.get("geometry")))' "$events")
markers=$(grep -o 'class="event [a-z]*"' "$tmp/dom.html" | wc -l)
[ "$markers" -eq "$geocoded" ] && [ "$geocoded" -gt 0 ] && ok ||
    bad "$markers markers in the page, $geocoded geocoded events"
grep -q 'rows shown' "$tmp/dom.html" && ok || bad "the page's script did not run"
grep -q '<section id="humanitarian"><h2>Humanitarian provisions</h2>' "$tmp/dom.html" && ok ||
    bad "no humanitarian provisions section in the page"
grep -q '<h3>Returns into danger ([1-9]' "$tmp/dom.html" && ok ||
    bad "the humanitarian section lists no returns into danger"
needs=$(grep -o 'class="need"' "$tmp/dom.html" | wc -l)
[ "$needs" -eq 9 ] && ok || bad "$needs places in need on the map, expected 9"
console dom >"$tmp/console"
[ -s "$tmp/console" ] && { bad "the report wrote to the console:"; cat "$tmp/console" >&2; } || ok
requests dom >"$tmp/req"
[ -s "$tmp/req" ] && { bad "the report requested:"; cat "$tmp/req" >&2; } || ok

# Without its CSP the markup still loads nothing.
grep -v 'http-equiv="Content-Security-Policy"' "$tmp/report.html" >"$tmp/nocsp.html"
open_page nocsp "$tmp/nocsp.html" --virtual-time-budget=2000 --dump-dom >/dev/null
requests nocsp >"$tmp/req"
[ -s "$tmp/req" ] && { bad "without its CSP the report requested:"; cat "$tmp/req" >&2; } || ok

# Only the page's own script runs: one slipped into the page is refused
# by the CSP (which allows scripts by hash), and runs once the CSP is gone,
# so the check can see it.
inject='<script>document.body.setAttribute("data-injected","ran")</script></body>'
sed "s|</body>|$inject|" "$tmp/report.html" >"$tmp/injected.html"
sed "s|</body>|$inject|" "$tmp/nocsp.html" >"$tmp/injected-nocsp.html"
open_page injected "$tmp/injected.html" --virtual-time-budget=2000 --dump-dom >"$tmp/inj.html"
grep -q 'data-injected="ran"' "$tmp/inj.html" && bad "an injected script ran despite the CSP" || ok
grep -q 'rows shown' "$tmp/inj.html" && ok || bad "the page's own script did not run beside an injected one"
open_page injected-nocsp "$tmp/injected-nocsp.html" --virtual-time-budget=2000 --dump-dom >"$tmp/inj2.html"
grep -q 'data-injected="ran"' "$tmp/inj2.html" && ok || bad "the injected script did not run even without the CSP"

# The checks catch a page that does load something, and one whose script fails.
printf '%s\n' '<!DOCTYPE html><html><head><title>probe</title></head><body>' \
    '<img src="http://truce-net-probe.invalid/x.png" alt="">' \
    '<script>throw new Error("truce-console-probe")</script></body></html>' >"$tmp/probe.html"
open_page probe "$tmp/probe.html" --virtual-time-budget=2000 --dump-dom >/dev/null
requests probe | grep -q 'truce-net-probe.invalid' && ok || bad "the net log check missed a probe load"
console probe | grep -q 'truce-console-probe' && ok || bad "the console check missed a probe error"

echo "test_report_browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
