#!/usr/bin/env bash
# Memory-bound kernels (BF16->F32 conversion, RMSNorm) against MemorySegment.copy of the same bytes.
#   bench/run-bandwidth.sh [--threads 1] [--sizes 4096x4096,64x4096] [--rounds 30] [--warmup-seconds 2]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$here/bin/jdk25.sh"
"$here/build" -q -pl bench -am package -DskipTests >&2
cp="$here/bench/target/classes:$(cat "$here/bench/target/classpath.txt")"
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g \
  -cp "$cp" io.llmc4j.bench.BandwidthBench "$@" 2> >(grep -v 'Using incubator modules' >&2)
