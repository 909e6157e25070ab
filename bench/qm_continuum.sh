#!/usr/bin/env bash
# Continuum limit of the network path integral (issue 11, point 6): runs bench/qm_continuum.nnft,
# the anharmonic oscillator at lambda = 0.1 and 1 on the ReLU time-slicing net at M = 24, 48, 96
# slices, <x^2> and E1 - E0 at each M extrapolated in a^2 to the continuum and compared with exact
# diagonalisation (the percentages printed; the expect lines fail the run if any is more than 1%
# off). Prints the wall time at the end. Too long for the test suite (minutes); samples/path_integral.nnft
# runs a smaller version of the same check in CI.
# Usage: bash bench/qm_continuum.sh [draws per chain = 2e5]   (NNFT_NO_BUILD=1 skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
draws="${1:-2e5}"
if [ "${NNFT_NO_BUILD:-0}" != 1 ]; then mvn -q -B -DskipTests package; fi
tmp=$(mktemp --suffix=.nnft)
trap 'rm -f "$tmp"' EXIT
sed "s/^let draws = .*/let draws = $draws/" bench/qm_continuum.nnft > "$tmp"
start=$(date +%s.%N)
status=0
./nnft run "$tmp" 2>&1 || status=$?
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v d="$draws" 'BEGIN { printf "wall time %.1f s (4 chains x %s draws at each of 3 spacings, 2 couplings)\n", e - s, d }'
exit $status
