#!/usr/bin/env bash
# Issue 12, point 7: the time of exact extraction of {f = 1} for a fitted 3 -> 64 -> 1 and a
# 3 -> 16 -> 16 -> 1 ReLU net (org.nnft.bench.PolytopeBench; fits not timed, best of N repeats after a
# warm-up). Builds nothing: run `mvn -q -B -DskipTests package` first. Usage: bash bench/polytope_extract.sh [repeats=3]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/nnft.jar ] || { echo "polytope_extract: no target/nnft.jar; build with mvn -q -B -DskipTests package" >&2; exit 1; }
java -Xss16m -cp target/nnft.jar org.nnft.bench.PolytopeBench "${1:-3}"
