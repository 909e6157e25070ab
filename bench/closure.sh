#!/usr/bin/env bash
# Issue 3, point 5: single-core throughput of a phi^4 integrand compiled from Symja to a Java
# closure (target >= 1e7 evaluations per second), next to the same integrand written by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" org.nnft.symbolic.ClosureBench "$@"
