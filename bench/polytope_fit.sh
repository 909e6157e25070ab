#!/usr/bin/env bash
# Issue 12, point 7: fit of a 2 -> 8 -> 1 ReLU net to |x|, 4000 full-batch Adam steps on 4096 points,
# nnft (bench/polytope_fit.nnft) side by side with NumPy (bench/polytope_fit_numpy.py), the same sizes.
# Wall time of the whole process for each (JVM start-up and Python/NumPy import included), steps/s
# and the ratio; nnft must be at least as fast. Builds nothing (run `mvn -q -B -DskipTests package`
# first). Usage: bash bench/polytope_fit.sh [rounds=2]   (rounds alternate nnft and NumPy: noisy machines)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-2}"
steps=4000
[ -f target/nnft.jar ] || { echo "polytope_fit: no target/nnft.jar; build with mvn -q -B -DskipTests package" >&2; exit 1; }
python3 -c 'import numpy' 2>/dev/null || { echo "polytope_fit: needs NumPy (apt-get install python3-numpy)" >&2; exit 1; }
grep -q "steps = $steps" bench/polytope_fit.nnft && grep -q "range(1, $((steps + 1)))" bench/polytope_fit_numpy.py \
  || { echo "polytope_fit: the two scripts do not both run $steps steps" >&2; exit 1; }
./nnft check bench/polytope_fit.nnft >/dev/null # the launcher's start-up archive, made once per build, not timed

now() { date +%s.%N; }
rate() { awk -v w="$1" -v s="$2" -v t="$3" 'BEGIN { printf "%-6s %.2f s wall, %6.0f steps/s\n", w, t, s / t }'; }
for r in $(seq "$rounds"); do
  t0=$(now); j=$(./nnft run bench/polytope_fit.nnft 2>&1 | tail -1); t1=$(now)
  p=$(python3 bench/polytope_fit_numpy.py | tail -1); t2=$(now)
  js=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  ps=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
  echo "--- round $r: nnft $j | numpy $p"
  rate nnft "$steps" "$js"
  rate numpy "$steps" "$ps"
  awk -v j="$js" -v p="$ps" 'BEGIN { printf "ratio  nnft / NumPy speed: %.2fx (target >= 1)\n", p / j }'
done
