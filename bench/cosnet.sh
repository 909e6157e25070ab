#!/usr/bin/env bash
# Side-by-side benchmark of issue 2: nnft vs vectorized NumPy on the same Cos-net workload
# (d = 1, N = 100, 4 points, 10^6 networks: the 4x4 2-pt matrix and the connected 4-pt function).
# Targets: nnft brute force >= 10x NumPy; iid estimator N G_c4(0,0,0,0) at N = 100 to 1% in < 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
python3 -c 'import numpy' 2>/dev/null || { echo "installing python3-numpy"; apt-get install -y -q python3-numpy >/dev/null; }
count="${1:-1e6}"
threads="${THREADS:-$(nproc)}"
j=$(java -Xss16m -cp target/nnft.jar org.nnft.bench.CosnetBench "$count" "$threads")
p=$(python3 bench/cosnet_numpy.py "$count")
echo "$j"
echo "$p"
js=$(echo "$j" | sed -n 's/^nnft brute force: .* in \([0-9.]*\) s .*/\1/p')
ps=$(echo "$p" | sed -n 's/^numpy: .* in \([0-9.]*\) s .*/\1/p')
awk -v j="$js" -v p="$ps" 'BEGIN { printf "speed-up of nnft over NumPy: %.1fx (target 10x)\n", p / j }'
