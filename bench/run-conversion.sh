#!/usr/bin/env bash
# Bulk dtype conversions (F32->F16, F32<->FP8 E4M3/E5M2) against the scalar element-by-element loop, same run.
#   bench/run-conversion.sh [--threads 1] [--sizes 4096x4096,64x4096] [--rounds 15] [--warmup-seconds 2]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$here/bin/jdk25.sh"
"$here/build" -q -pl bench -am package -DskipTests >&2
cp="$here/bench/target/classes:$(cat "$here/bench/target/classpath.txt")"
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g \
  -cp "$cp" io.llmc4j.bench.ConversionBench "$@" 2> >(grep -v 'Using incubator modules' >&2)
