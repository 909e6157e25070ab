#!/usr/bin/env bash
# Issue 14, point 5: Spark's start-up time, its overhead per task and per pass, and the throughput of
# the brute-force Cos-net workload on the local engine and on Spark local[threads], side by side
# (the same bytes printed by both are checked). Sizes: the ensemble sizes to time.
#
#   bench/spark.sh [threads] [sizes...]       e.g. bench/spark.sh 2 1e5 1e6 1e7
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile >&2
read -r -a opts <<< "$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' spark/pom.xml | sed 's/--add-modules=jdk.incubator.vector//')"
export SPARK_LOCAL_IP=127.0.0.1
exec java -Xss16m -Djava.awt.headless=true "${opts[@]}" -cp "spark/target/nnft-spark-0.1.0-SNAPSHOT.jar:$(cat spark/target/classpath.txt)" \
  org.nnft.spark.SparkBench "${1:-$(nproc)}" "${@:2}"
