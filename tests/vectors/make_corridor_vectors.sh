#!/bin/sh
# Reference vectors for the corridor tests, made with GeographicLib's GeodSolve
# (Debian geographiclib-tools), independently of PROJ and of truce:
#
#   sh tests/vectors/make_corridor_vectors.sh > tests/vectors/corridor_perp.txt
#
# For each case a one-segment road A -> B is laid out with GeodSolve's direct
# problem (A, azimuth, length L), the point X at chainage f*L on it, and the
# test point P at distance d from X perpendicular to the road (azimuth at X
# plus 90 for the right side, minus 90 for the left).  The nearest point of
# the road to P is then X: truce must measure distance d, chainage f*L and
# that side.
#
# Output, one case per line:
#   latA lonA latB lonB latP lonP distance_m chainage_m side(R|L)
set -eu
direct() { echo "$1 $2 $3 $4" | GeodSolve -p 9; }
# case: latA lonA aziA L f d side
while read -r lat lon azi len f d side; do
  case "$lat" in '#'*|'') continue ;; esac
  set -- $(direct "$lat" "$lon" "$azi" "$len"); latb=$1; lonb=$2
  s=$(awk -v f="$f" -v l="$len" 'BEGIN { printf "%.9f", f * l }')
  set -- $(direct "$lat" "$lon" "$azi" "$s"); latx=$1; lonx=$2; azix=$3
  az=$(awk -v a="$azix" -v sd="$side" 'BEGIN { printf "%.15f", a + (sd == "R" ? 90 : -90) }')
  set -- $(direct "$latx" "$lonx" "$az" "$d"); latp=$1; lonp=$2
  echo "$lat $lon $latb $lonb $latp $lonp $d $s $side"
done <<'CASES'
# Idlib, 6 km and the stress band around it
35.8 36.6 80 5000 0.3 6000 R
35.8 36.6 80 5000 0.3 6000 L
35.8 36.6 80 5000 0.71 5985.5 L
35.8 36.6 80 5000 0.71 6014.5 R
# a 158 m segment, points near and far (up to 50 km)
35.8 36.6 263.5 158.2 0.5 0.001 R
35.8 36.6 263.5 158.2 0.5 0.5 L
35.8 36.6 263.5 158.2 0.01 25000 R
35.8 36.6 263.5 158.2 0.99 50000 L
# long segments (cut into pieces inside truce)
10 20 45 300000 0.77 12345 R
-45 -70 0 80000 0.6 30000 L
0 10 90 100000 0.25 20000 R
# across the antimeridian
-16 179.9 90 30000 0.5 6000 L
-16 179.9 90 30000 0.5 6000 R
65 -179.95 270 8000 0.4 1500 R
# near and over a pole
89.9 0 90 20000 0.5 3000 R
89.95 0 0 11000 0.7 1000 L
-89.8 45 120 15000 0.35 2500 R
CASES
