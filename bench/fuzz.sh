#!/usr/bin/env bash
# The long fuzz campaign of issue 13: mutants of the corpus (src/test/resources/fuzz/corpus: the
# samples, the golden scripts and earlier findings) run through one session per thread, each under
# a hang watchdog. Prints the counts of internal errors and hangs by kind, and writes the shortest
# script of each distinct finding as a new corpus entry (finding-<hash>.nnft), which FuzzTest then
# replays on every test run. Exits 1 when anything was found.
#
#   bench/fuzz.sh [count] [seed] [threads] [seconds-per-script] [keep] [findings-dir]
#
# count: mutants (default 100000); keep: the share of structure-keeping mutations (default 0.5;
# 1 for numbers, shapes and named arguments only); findings-dir: where new corpus entries go
# (default the corpus itself). The JUnit FuzzTest is the short, deterministic version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
count="${1:-100000}"
seed="${2:-1}"
threads="${3:-$(nproc)}"
limit="${4:-10}"
keep="${5:-0.5}"
findings="${6:-src/test/resources/fuzz/corpus}"
if [ ! -f target/nnft.jar ] || [ ! -d target/test-classes/org/nnft/fuzz ]; then
  mvn -q -B -DskipTests package >&2
fi
exec java -Xss16m -Djava.awt.headless=true -cp target/nnft.jar:target/test-classes org.nnft.fuzz.Fuzzer \
  "$count" "$seed" "$threads" "$limit" "$keep" src/test/resources/fuzz/corpus "$findings"
