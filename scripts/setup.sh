#!/bin/sh
# Install the Debian packages truce needs (scripts/packages.txt) that are not
# installed yet.  Idempotent and silent when everything is already there.
# Extra package lists can be given as arguments (e.g. scripts/packages-bench.txt).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
lists="$here/packages.txt $*"
missing=""
for pkg in $(cat $lists | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$'); do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *" installed") ;;
    *) missing="$missing $pkg" ;;
  esac
done
[ -z "$missing" ] && exit 0
echo "setup: installing:$missing" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: need root (or sudo) to install:$missing" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2
