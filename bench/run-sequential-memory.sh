#!/usr/bin/env bash
# Sequential-pipeline memory benchmark: peak RSS over a mapped >= 8 GiB BF16 checkpoint (written once
# under bench/target/models), releasing mapped weights on vs off (baseline) in the same run.
# Usage: bench/run-sequential-memory.sh [--samples N] [--tokens T] [--baseline-samples N] [--layers L]
#        [--model-dir DIR] [--delete-checkpoint] ...   (--help lists all)
# The JVM heap is bounded (HEAP, default 2g): activations of one T-token sample plus one prefetched
# batch, far below that for T <= 512; the bound printed by the bench does not include the heap slack.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk25.sh
./build -q -pl bench -am package -DskipTests
exec "$JAVA_HOME/bin/java" -Xmx"${HEAP:-2g}" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.llmc4j.bench.pipeline.SequentialMemoryBench "$@"
