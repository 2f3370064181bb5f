#!/usr/bin/env bash
# Shared by the bench/run-*.sh commands: builds the bench module (and what it needs) on JDK 25 and
# runs one of its main classes with the Vector API and native access enabled, from the repository
# root (relative paths in ARGS and the benches' defaults such as bench/target/models start there).
#   bench/bench-java.sh HEAP MAIN_CLASS [ARGS...]     e.g. bench/bench-java.sh 4g io.llmc4j.bench.BandwidthBench --threads 2
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
heap=$1 main=$2
shift 2
cd "$here"
source bin/jdk25.sh
./build -q -pl bench -am package -DskipTests >&2
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx"$heap" \
  -cp "$cp" "$main" "$@" 2> >(grep -v 'Using incubator modules' >&2)
