#!/usr/bin/env bash
# Builds core + bench and runs the kernel benchmarks (JMH): GB/s per weight type and shape, the
# machine's read bandwidth, and the parallel-call overhead. Options go to KernelBenchmarks, e.g.
#   scripts/bench_kernels.sh --types Q4_1,Q8_0,F16 --shapes 49152x576 --threads 2
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -q -pl longkv-bench -am package -DskipTests
M2=${M2_REPO:-$HOME/.m2/repository}
CP=longkv-bench/target/classes:longkv-core/target/classes
CP=$CP:$M2/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar
CP=$CP:$M2/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar
CP=$CP:$M2/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -cp "$CP" io.longkv.bench.kernels.KernelBenchmarks "$@"
