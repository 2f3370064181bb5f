#!/usr/bin/env bash
# Prefill benchmark: one 512-token forward of a synthetic Llama-3.2-1B (BF16, cached under
# bench/target/models) with the vector kernels; tokens/s, GFLOPS and forward / GEMM-only ratio.
# Usage: bench/run-prefill.sh [--tokens T] [--runs N] [--warmup N] [--preset NAME]   (--help lists all)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk25.sh
./build -q -pl bench -am package -DskipTests
exec "$JAVA_HOME/bin/java" -Xmx"${HEAP:-4g}" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.llmc4j.bench.prefill.PrefillBench "$@"
