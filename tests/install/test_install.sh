#!/bin/sh
# Install truce into a staging directory, as `make install DESTDIR=...` does,
# and use the staged copy as another program would: the files are where
# GNUInstallDirs puts them, libtruce.so has its SONAME and exports the public
# API only, every public header compiles on its own, the example (examples/)
# builds with `pkg-config --cflags --libs truce` against the shared and the
# static library and prints what it should, and `man -l` renders every page
# without a warning.  Nothing is installed into the system and nothing is
# left behind.
#
#   sh test_install.sh BUILD_DIR SOURCE_DIR CMAKE CC [CFLAGS]
#
# CFLAGS are added to the example's compile and link lines (the sanitizer
# flags of an ASan build, whose libtruce needs its runtime).
set -u
build=$1
src=$2
cmake=$3
cc=$4
extra=${5:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # check WHAT COMMAND...: the command succeeds
    what=$1; shift
    if "$@" >"$tmp/out" 2>"$tmp/err"; then ok; else bad "$what"; cat "$tmp/out" "$tmp/err" >&2; fi
}

stage=$tmp/stage
prefix=/usr/local
if ! DESTDIR=$stage "$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log" >&2
    echo "FAIL: cmake --install" >&2
    exit 1
fi
root=$stage$prefix
pc=$(find "$root" -path '*/pkgconfig/truce.pc')
[ -n "$pc" ] && ok || { bad "no truce.pc under $root"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
version=$(sed -n 's/^Version: //p' "$pc")

# The files.
for f in bin/truce include/truce/version.h share/man/man1/truce.1; do
    [ -f "$root/$f" ] && ok || bad "missing $f"
done
for h in "$src"/include/truce/*.h; do
    [ -f "$root/include/truce/$(basename "$h")" ] && ok || bad "missing header $(basename "$h")"
done
[ -f "$libdir/libtruce.a" ] && ok || bad "missing libtruce.a"
[ -f "$libdir/libtruce.so.$version" ] && ok || bad "missing libtruce.so.$version"
[ "$(readlink "$libdir/libtruce.so.${version%%.*}")" = "libtruce.so.$version" ] && ok ||
    bad "libtruce.so.${version%%.*} does not point to libtruce.so.$version"
[ "$(readlink "$libdir/libtruce.so")" = "libtruce.so.${version%%.*}" ] && ok ||
    bad "libtruce.so does not point to libtruce.so.${version%%.*}"
check "truce --version" "$root/bin/truce" --version
grep -qx "truce $version" "$tmp/out" && ok || bad "truce --version: $(cat "$tmp/out"), expected truce $version"

# The shared library: its SONAME, and only the public API exported: every
# name in its dynamic symbol table is a function an installed header declares.
soname=$(objdump -p "$libdir/libtruce.so.$version" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = "libtruce.so.${version%%.*}" ] && ok || bad "SONAME is '$soname'"
nm -D --defined-only "$libdir/libtruce.so.$version" | awk '{ print $NF }' >"$tmp/exported"
[ -s "$tmp/exported" ] && ok || bad "libtruce.so exports nothing"
for name in $(cat "$tmp/exported"); do
    grep -rqE "(^|[^A-Za-z0-9_])$name[[:space:]]*\(" "$root/include/truce" || echo "$name"
done >"$tmp/private"
[ -s "$tmp/private" ] && bad "libtruce.so exports $(wc -l <"$tmp/private") names no public header declares: $(head -5 "$tmp/private" | tr '\n' ' ')" || ok

# Every public header compiles on its own, from the staged copy alone.
for h in "$root"/include/truce/*.h; do
    printf '#include <truce/%s>\n' "$(basename "$h")" >"$tmp/h.c"
    check "<truce/$(basename "$h")> on its own" \
        "$cc" -std=c17 -Wall -Wextra -Werror -fsyntax-only -I"$root/include" "$tmp/h.c"
done

# The example, built by its own Makefile with pkg-config against the stage.
cp -R "$src/examples" "$tmp/example"
PKG_CONFIG_PATH=$libdir/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$stage
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
check "pkg-config --modversion truce" pkg-config --modversion truce
grep -qx "$version" "$tmp/out" && ok || bad "pkg-config --modversion: $(cat "$tmp/out")"
check "pkg-config --cflags names the staged headers" pkg-config --cflags truce
grep -qF -- "-I$root/include" "$tmp/out" && ok || bad "pkg-config --cflags: $(cat "$tmp/out")"
check "make the example (shared)" make -C "$tmp/example" CC="$cc" \
    CFLAGS="-O1 -g -Wall -Wextra -Werror $extra" LDFLAGS="$extra" idlib
check "make the example (static)" make -C "$tmp/example" CC="$cc" \
    CFLAGS="-O1 -g -Wall -Wextra -Werror $extra" LDFLAGS="$extra" idlib-static
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

agreement=$src/data/idlib-2020/agreement.geojson
{
    echo "libtruce $version (headers $version)"
    cat "$src/tests/install/idlib.expected"
} >"$tmp/expected"
if [ -x "$tmp/example/idlib" ]; then
    # The shared build loads the staged libtruce.so and nothing else by that name.
    LD_LIBRARY_PATH=$libdir ldd "$tmp/example/idlib" >"$tmp/ldd"
    grep -q "libtruce.so.${version%%.*} => $libdir/" "$tmp/ldd" && ok ||
        bad "idlib does not load the staged libtruce: $(grep truce "$tmp/ldd")"
    check "idlib (shared)" env LD_LIBRARY_PATH="$libdir" "$tmp/example/idlib" "$agreement"
    diff -u "$tmp/expected" "$tmp/out" >&2 && ok || bad "idlib (shared): output differs"
fi
if [ -x "$tmp/example/idlib-static" ]; then
    readelf -d "$tmp/example/idlib-static" | grep -q 'libtruce' &&
        bad "idlib-static needs libtruce.so" || ok
    check "idlib (static)" "$tmp/example/idlib-static" "$agreement"
    diff -u "$tmp/expected" "$tmp/out" >&2 && ok || bad "idlib (static): output differs"
fi

# The manual pages: man -l renders each, without a warning from groff.
pages=$(ls "$root"/share/man/man1/*.1)
[ "$(echo "$pages" | wc -l)" -ge 2 ] && ok || bad "no pages besides truce.1"
for page in $pages; do
    name=$(basename "$page" .1)
    if LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$page" >"$tmp/out" 2>"$tmp/err" &&
        [ ! -s "$tmp/err" ]; then ok; else bad "man -l $name.1"; cat "$tmp/err" >&2; fi
    # The page opens with its title and NAME gives the page's name.
    head -1 "$tmp/out" | grep -q "^$(echo "$name" | tr a-z A-Z)(1)" && ok ||
        bad "$name.1 renders no title: $(head -1 "$tmp/out")"
    grep -A1 '^NAME' "$tmp/out" | grep -q "^ *$name - " && ok || bad "$name.1: no NAME line"
done

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
