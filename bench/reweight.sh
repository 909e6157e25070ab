#!/usr/bin/env bash
# Side-by-side benchmark of the reweighted phi^4 workload (bench/reweight.nnft): nnft vs vectorized
# NumPy (bench/reweight_numpy.py), the same estimator, whole process against whole process: each
# wall time includes start-up (the JVM, the Python interpreter and NumPy's import) and is measured
# here. Prints both results (they agree within errors, not bitwise: different random numbers),
# networks/s and network-points/s (quadrature points) for each, and the speed ratio.
# Usage: bash bench/reweight.sh [networks=2e5] [N=250] [points=256]   (points: a multiple of 8)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2e5}"
width="${2:-250}"
points="${3:-256}"
mvn -q -B -DskipTests package || { echo "reweight: the nnft build failed (mvn package), nothing run" >&2; exit 1; }
python3 -c 'import numpy' 2>/dev/null || { echo "installing python3-numpy"; apt-get install -y -q python3-numpy >/dev/null; }

# the nnft script at the requested sizes (at the defaults, bench/reweight.nnft itself)
script=target/reweight_bench.nnft
sed -e "s/^let N = 250\$/let N = $width/" \
    -e "s/sample(osc, 2e5,/sample(osc, $count,/" \
    -e "s/points = 256)/points = $points)/" bench/reweight.nnft > "$script"
grep -q "^let N = $width\$" "$script" && grep -q "sample(osc, $count," "$script" \
  && grep -q "points = $points)" "$script" || { echo "reweight: could not set the sizes in $script" >&2; exit 1; }

now() { date +%s.%N; }
t0=$(now)
set +e
j=$(./nnft run "$script" 2>&1)
jrc=$?
set -e
t1=$(now)
p=$(python3 bench/reweight_numpy.py "$count" "$width" "$points")
t2=$(now)

m=$(awk -v c="$count" 'BEGIN { printf "%d", c }')
rate() { awk -v m="$m" -v q="$points" -v s="$2" -v who="$1" \
  'BEGIN { printf "%-6s %d networks x %d points (N = %d) in %.2f s wall: %.4g networks/s, %.4g network-points/s\n", who, m, q, '"$width"', s, m / s, m * q / s }'; }
js=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
ps=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", b - a }')

echo "--- nnft run $script"
echo "$j"
echo "--- python3 bench/reweight_numpy.py $count $width $points"
echo "$p"
echo "--- whole process, wall time"
if [ "$jrc" -ne 0 ]; then
  echo "nnft   FAILED (exit $jrc after $js s): no nnft timing, no speed ratio; its output is above"
  rate numpy "$ps"
  exit 1
fi
rate nnft "$js"
rate numpy "$ps"
awk -v j="$js" -v p="$ps" 'BEGIN { printf "speed ratio nnft / NumPy: %.2fx\n", p / j }'
