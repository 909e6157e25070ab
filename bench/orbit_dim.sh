#!/usr/bin/env bash
# Issue 8, point 7: wall time of orbit_dim's rank computation on ReLU nets up to about 2,000
# parameters (the sketched, certified QR). Tests assert the counts only; the time is printed here.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
mvn -q -B -pl core dependency:build-classpath -Dmdep.outputFile="$PWD/target/cp.txt" >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" org.nnft.gauge.OrbitDimBench "$@"
