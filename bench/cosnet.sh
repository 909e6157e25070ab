#!/usr/bin/env bash
# Side-by-side benchmark of issue 2: nnft vs vectorized NumPy on the same Cos-net workload.
# Targets: nnft brute force >= 10x NumPy; iid estimator N G_c4(0,0,0,0) at N = 100 to 1% in < 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/nnft.jar ] || mvn -q -B -DskipTests package
python3 -c 'import numpy' 2>/dev/null || { echo "installing python3-numpy"; apt-get install -y -q python3-numpy >/dev/null; }
count="${1:-1e6}"
java -Xss16m -cp target/nnft.jar org.nnft.bench.CosnetBench "$count" "${THREADS:-$(nproc)}"
python3 bench/cosnet_numpy.py "$count"
