#!/usr/bin/env bash
# Issue 3, point 5: single-core throughput of a phi^4 integrand compiled from Symja to a Java
# closure (target >= 1e7 evaluations per second), next to the same integrand written by hand.
# Usage: bash bench/closure.sh [evals] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$(bash bench/compile.sh)"
java -cp "$cp" org.nnft.symbolic.ClosureBench "$@"
