#!/bin/sh
# Fail when libtruce defines an extern symbol outside its two name spaces:
#   truce_  the public API (include/truce/) and a few helpers shared inside;
#   trc_    the library's internal helpers, extern only so that its own files
#           can share them. One short prefix, plainly not the public one, so
#           that a reader (and this check) tells the two apart at a glance
#           and a program linking libtruce.a cannot clash with either.
# Names that begin with "__" are the compiler's and the sanitizers' own.
#   sh tests/check_symbols.sh path/to/libtruce.a [nm]
lib=${1:?usage: check_symbols.sh LIBRARY [NM]}
nm=${2:-nm}
[ -n "$nm" ] || nm=nm
out=$("$nm" -A -P -g --defined-only "$lib") || {
  echo "check_symbols: $nm failed on $lib" >&2
  exit 1
}
# -A -P prints "archive[member]: name type value size".
bad=$(printf '%s\n' "$out" | awk '
  NF >= 3 && $3 ~ /^[A-Za-z]$/ {
    name = $2
    if (name ~ /^truce_/ || name ~ /^trc_/ || name ~ /^__/)
      next
    obj = $1
    sub(/^.*\[/, "", obj)
    sub(/\]:$/, "", obj)
    print obj ": " name " (" $3 ")"
  }' | sort -u)
if [ -n "$bad" ]; then
  echo "check_symbols: extern symbols of $lib without the truce_ or trc_ prefix:" >&2
  printf '%s\n' "$bad" >&2
  exit 1
fi
count=$(printf '%s\n' "$out" | awk 'NF >= 3 && $3 ~ /^[A-Za-z]$/' | wc -l)
echo "check_symbols: $count extern symbols, all truce_ or trc_"
