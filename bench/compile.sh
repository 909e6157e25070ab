#!/usr/bin/env bash
# Compiles the Java benchmarks in bench/java against the main classes (not against the tests:
# benchmarks time things, tests assert results) into target/bench-classes, and prints the class
# path to run them with. Used by closure.sh, vecmath.sh and orbit_dim.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests compile >&2
mvn -q -B -pl core dependency:build-classpath -Dmdep.outputFile="$PWD/target/cp.txt" >/dev/null
rm -rf target/bench-classes
mkdir -p target/bench-classes
cp="target/classes:$(cat target/cp.txt)"
javac -nowarn -d target/bench-classes -cp "$cp" $(find bench/java -name '*.java')
echo "target/bench-classes:$cp"
