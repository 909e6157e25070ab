#!/usr/bin/env bash
# Single-thread throughput of the vectorised kernels (VecMath cos, sin, exp, erf, gelu) and the
# normal samplers, next to Math.cos and SplittableRandom with Box-Muller.
# Usage: bash bench/vecmath.sh [seconds-per-case]
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$(bash bench/compile.sh)"
java -cp "$cp" org.nnft.numeric.VecMathBench "$@"
