#!/bin/sh
# Fail when the library's folders stop being layers.  The one table of
# layers is the one in src/README.md (lowest first); this script reads it and
# fails, naming file:line, when
#   - a file in src/ includes a header of a higher layer, its own folder's
#     and lower ones' being allowed (a public header include/truce/x.h
#     belongs to the folder that holds x.c, or to the row that names it);
#   - a file includes another folder's private header (*_internal.h,
#     *_impl.h), or an internal header by a bare name rather than by its
#     path from src/ ("base/util.h");
#   - a public header includes one of a higher layer;
#   - cli/ or server/, clients of the public API, include anything but
#     public headers and their own (cli/ may include server/'s headers but
#     not its *_impl.h: truce serve starts the server);
#   - a file sits at the top of src/ or below a folder's folder, a folder is
#     not in the table (or a row has no folder), or a folder's README.md
#     lacks the "May include:" line that names exactly the folders below it.
#   sh tests/check_layers.sh [SOURCE_DIR]
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 1
[ -f src/README.md ] || {
  echo "check_layers: no src/README.md in $root" >&2
  exit 1
}

# One stream of tagged records for awk:
#   T folder [truce/x.h ...]  a row of the table, lowest first
#   D folder                  a folder of src/
#   S path                    a .c or .h under src/
#   P name                    a public header (version.h from version.h.in)
#   R folder                  the folder has a README.md
#   M folder line text        its "May include:" line
#   C path                    a header of cli/ or server/
#   I path line text          an #include line of src/, include/truce/, cli/ or server/
records() {
  awk '/^\| *`[a-z0-9_]+` *\|/ {
         n = split($0, cell, "|")
         row = cell[2]; gsub(/[ `]/, "", row)
         extra = ""
         s = cell[n - 1]
         while (match(s, /truce\/[a-z0-9_]+\.h/)) {
           extra = extra " " substr(s, RSTART, RLENGTH)
           s = substr(s, RSTART + RLENGTH)
         }
         print "T " row extra
       }' src/README.md
  for d in src/*/; do
    [ -d "$d" ] || continue
    d=${d%/}
    d=${d#src/}
    echo "D $d"
    if [ -f "src/$d/README.md" ]; then
      echo "R $d"
      grep -n '^May include:' "src/$d/README.md" | sed "s|^|M $d |; s|:| |"
    fi
  done
  find src -type f \( -name '*.c' -o -name '*.h' \) | sort | sed 's/^/S /'
  find cli server -type f -name '*.h' 2>/dev/null | sed 's/^/C /'
  for p in include/truce/*.h include/truce/*.h.in; do
    [ -f "$p" ] || continue
    p=${p#include/truce/}
    echo "P ${p%.in}"
  done
  files=$(find src include/truce cli server -type f \( -name '*.c' -o -name '*.h' -o -name '*.h.in' \) 2>/dev/null | sort)
  [ -n "$files" ] &&
    grep -n '^[[:space:]]*#[[:space:]]*include' $files /dev/null | sed 's/^/I /; s/:/ /; s/:/ /'
}

records | awk '
function fail(where, msg) { print where ": " msg > "/dev/stderr"; bad++ }
function dirof(path,   i) { i = index(path, "/"); return i ? substr(path, 1, i - 1) : "" }
function base(path) { sub(/.*\//, "", path); return path }
# The folder a public header belongs to: the row that names it, else the
# folder that holds the .c of its name ("" and a failure when none or two).
function owner(h,   stem, f, found) {
  if (h in owned) return owned[h]
  stem = h; sub(/\.h$/, "", stem)
  found = ""
  for (f in rank)
    if (("src/" f "/" stem ".c") in src) {
      if (found != "") { fail("include/truce/" h, "src/" found "/ and src/" f "/ both hold " stem ".c: which layer owns it?"); break }
      found = f
    }
  if (found == "")
    fail("include/truce/" h, "no layer owns it: no src/<folder>/" stem ".c, and no row of src/README.md names truce/" h)
  owned[h] = found
  return found
}
# The folders below f, as its README names them: " base/ time/".
function below(f,   r, out) {
  out = ""
  for (r = 1; r < rank[f]; r++) out = out " " order[r] "/"
  return out
}
$1 == "T" {
  if ($2 in rank) { fail("src/README.md", "layer `" $2 "` is in the table twice"); next }
  rank[$2] = ++nlayers; order[nlayers] = $2
  for (i = 3; i <= NF; i++) { h = $i; sub(/^truce\//, "", h); owned[h] = $2 }
  next
}
$1 == "D" { folder[$2] = 1; next }
$1 == "R" { readme[$2] = 1; next }
$1 == "M" {
  t = $0; sub(/^M [^ ]+ [0-9]+ May include:/, "", t)
  named = ""
  while (match(t, /`[a-z0-9_]+\/`/)) { named = named " " substr(t, RSTART + 1, RLENGTH - 2); t = substr(t, RSTART + RLENGTH) }
  mayline[$2] = $3; may[$2] = named
  next
}
$1 == "S" { src[$2] = 1; srcs[++nsrc] = $2; next }
$1 == "C" { cli[$2] = 1; next }
$1 == "P" { pub[$2] = 1; next }
$1 == "I" {
  t = $0; sub(/^I [^ ]+ [0-9]+ /, "", t)
  ipath[++n] = $2; iline[n] = $3; itext[n] = t
  next
}
END {
  if (nlayers == 0) fail("src/README.md", "no table of layers (rows like | `base` | ... |)")
  for (f in folder) if (!(f in rank)) fail("src/" f "/", "a folder that is not in the table of layers (src/README.md)")
  for (r = 1; r <= nlayers; r++) {
    f = order[r]
    if (!(f in folder)) { fail("src/README.md", "layer `" f "` has no folder src/" f "/"); continue }
    if (!(f in readme)) fail("src/" f "/README.md", "missing: say what the folder holds and which folders it may include")
    else if (!(f in may)) fail("src/" f "/README.md", "no line \"May include:\" naming the folders below it:" below(f))
    else if (may[f] != below(f))
      fail("src/" f "/README.md:" mayline[f], "\"May include:\" names" (may[f] == "" ? " none" : may[f]) "; the table (src/README.md) puts" (below(f) == "" ? " none" : below(f)) " below it")
  }
  for (i = 1; i <= nsrc; i++) {
    rest = substr(srcs[i], 5)
    if (index(rest, "/") == 0) fail(srcs[i], "at the top of src/: place it in the folder of its layer (src/README.md)")
    else if (index(substr(rest, index(rest, "/") + 1), "/")) fail(srcs[i], "in a nested folder: each layer is one flat folder")
  }
  for (h in pub) owner(h)
  for (k = 1; k <= n; k++) {
    p = ipath[k]; where = p ":" iline[k]; t = itext[k]
    if (match(t, /"[^"]*"/)) { inc = substr(t, RSTART + 1, RLENGTH - 2); quoted = 1 }
    else if (match(t, /<[^>]*>/)) { inc = substr(t, RSTART + 1, RLENGTH - 2); quoted = 0 }
    else continue
    if (!quoted && inc !~ /^truce\//) continue  # a system header
    if (p ~ /^(cli|server)\//) {
      d = dirof(p)
      # cli/ starts the server (truce serve) through server/server.h, the
      # one header server/ offers; its *_impl.h stays its own.
      srv = d == "cli" && quoted && inc ~ /^\.\.\/server\/[^\/]*\.h$/ && inc !~ /_(internal|impl)\.h$/ && \
            (substr(inc, 4) in cli)
      if (inc !~ /^truce\// && !srv && !(quoted && index(inc, "/") == 0 && ((d "/" inc) in cli)))
        fail(where, "includes \"" inc "\": " d "/ uses only the public API (truce/...) and its own headers")
      continue
    }
    if (p ~ /^include\//) {
      mine = base(p); sub(/\.in$/, "", mine)
      mine = owned[mine]
    } else {
      mine = dirof(substr(p, 5))
      if (!(mine in rank)) continue  # reported above
    }
    if (mine == "") continue
    if (inc ~ /^truce\//) {
      h = substr(inc, 7)
      if (!(h in pub)) { fail(where, "includes " inc ", which is not a public header in include/truce/"); continue }
      o = owner(h)
      if (o != "" && rank[o] > rank[mine])
        fail(where, "includes " inc " of layer " o "/, above " mine "/ (src/README.md: a layer includes only its own and lower layers)")
      continue
    }
    if (p ~ /^include\//) { fail(where, "includes \"" inc "\": a public header includes only public headers"); continue }
    if (index(inc, "/") == 0) {
      hint = ""
      for (f in rank) if (("src/" f "/" inc) in src) hint = " (\"" f "/" inc "\")"
      fail(where, "includes \"" inc "\": include an internal header by its path from src/" hint)
      continue
    }
    f = dirof(inc)
    if (inc ~ /\.\./ || !(f in rank)) { fail(where, "includes \"" inc "\", which is not in a folder of the table (src/README.md)"); continue }
    if (!(("src/" inc) in src)) { fail(where, "includes \"" inc "\": there is no src/" inc); continue }
    if (rank[f] > rank[mine])
      fail(where, "includes \"" inc "\" of layer " f "/, above " mine "/ (src/README.md: a layer includes only its own and lower layers)")
    else if (f != mine && base(inc) ~ /_(internal|impl)\.h$/)
      fail(where, "includes \"" inc "\", private to " f "/ (a header named *_internal.h or *_impl.h serves only its own folder)")
  }
  if (bad) {
    print "check_layers: " bad " problem(s); the layers are the table in src/README.md" > "/dev/stderr"
    exit 1
  }
  print "check_layers: " nsrc " files in " nlayers " layers, " n " includes, all pointing down or within a folder"
}'
