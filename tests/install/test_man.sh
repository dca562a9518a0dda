#!/bin/sh
# The manual pages say what --help says: there is a page for truce and for
# every command `truce --help` lists, and no other; each page lists exactly
# the options of the command's --help; every word of the help text is on the
# page; groff formats each page without a warning.
#
#   sh test_man.sh TRUCE MANDIR
#
# (The pages are made from --help at build time by man/mkman.sh, so this
# checks that the layout loses and invents nothing.)
set -u
truce=$1
man=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# The text of a roff page on stdin, as words: requests and comments dropped,
# fonts and escapes undone.
page_words() {
    sed -e '/^\.\\"/d' -e '/^\.[A-Za-z]/d' \
        -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\e/\\/g' |
        tr -s ' \t' '\n\n' | grep -v '^$'
}
# The words of a help text on stdin, less the labels the page turns into
# section names.
help_words() {
    sed -e 's/^usage: //' -e '/^options:$/d' -e '/^commands:$/d' \
        -e 's/^[Ee]xit status: //' |
        tr -s ' \t' '\n\n' | grep -v '^$'
}
# The options of a list on stdin ("  -f, --format FMT  text"), one a line.
options() {
    sed -n 's/^ *\(-[^ ].*\)$/\1/p' | sed 's/  .*//' | tr ',' '\n' |
        sed -n 's/^ *\(--*[A-Za-z0-9][A-Za-z0-9-]*\).*/\1/p' | sort
}
# Each word of file $1 occurs at least as often in file $2.
covered() {
    awk 'NR == FNR { need[$0]++; next } { have[$0]++ }
         END { for (w in need) if (have[w] < need[w]) { print w; bad = 1 } exit bad }' "$1" "$2"
}

# The pages there are, and the pages there should be.
"$truce" --help >"$tmp/help"
awk '/^commands:$/ { on = 1; next } on && /^$/ { exit } on { print $1 }' "$tmp/help" >"$tmp/cmds"
[ -s "$tmp/cmds" ] && ok || bad "truce --help lists no commands"
{ echo truce; sed 's/^/truce-/' "$tmp/cmds"; } | sort >"$tmp/want"
ls "$man" | sed -n 's/\.1$//p' | sort >"$tmp/have"
diff -u "$tmp/want" "$tmp/have" >&2 && ok || bad "the pages in $man are not truce and its commands"

for name in $(cat "$tmp/want"); do
    page=$man/$name.1
    [ -f "$page" ] || continue
    if [ "$name" = truce ]; then cp "$tmp/help" "$tmp/h"; else "$truce" "${name#truce-}" --help >"$tmp/h"; fi

    # The same options, both ways.
    awk '/^options:$/ { on = 1; next } on && /^$/ { exit } on' "$tmp/h" | options >"$tmp/hopt"
    awk '/^\.SH / { on = ($0 == ".SH OPTIONS"); next } on && prev == ".TP" { print } { prev = $0 }' "$page" |
        sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' | sed 's/^/  /;s/$/  x/' | options >"$tmp/popt"
    diff -u "$tmp/hopt" "$tmp/popt" >"$tmp/d" && ok ||
        { bad "$name.1: options differ from --help (- help, + page)"; cat "$tmp/d" >&2; }
    if [ "$name" != truce ]; then
        [ -s "$tmp/hopt" ] && ok || bad "$name: --help lists no options"
    fi

    # Every word of the help on the page.
    help_words <"$tmp/h" >"$tmp/hw"
    page_words <"$page" >"$tmp/pw"
    covered "$tmp/hw" "$tmp/pw" >"$tmp/missing" && ok ||
        bad "$name.1 lacks words of --help: $(head -10 "$tmp/missing" | tr '\n' ' ')"

    # groff formats it without a warning.
    groff -man -ww -z "$page" 2>"$tmp/err"
    [ ! -s "$tmp/err" ] && ok || { bad "groff warns on $name.1"; cat "$tmp/err" >&2; }
done

echo "man: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
