#!/usr/bin/env bash
# Builds the folder that travels to a lent GPU machine (CUDA, Python, no JDK) for device-check.sh:
# a jlink'd JDK 25 runtime, the project's jars and their runtime dependencies, the tornado-gpu test
# classes and the JUnit console launcher with jqwik. Keeps it under the 64 MiB a device call carries.
#   bench/device/make-carry.sh DEST        e.g. bench/device/make-carry.sh .gpucarry  (then run: bash DEST/device-check.sh)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=$(mkdir -p "$1" && cd "$1" && pwd)
cd "$here"
source bin/jdk25.sh
./build -q package -DskipTests
mkdir -p "$dest/lib" "$dest/junit"
rm -f "$dest"/lib/*.jar
if [ ! -x "$dest/jrt/bin/java" ]; then
  "$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,jdk.unsupported,java.sql,java.xml,java.logging \
    --strip-debug --compress=zip-9 --no-header-files --no-man-pages --output "$dest/jrt"
fi
cp engine/target/llmc4j-engine-*SNAPSHOT.jar tornado-gpu/target/llmc4j-tornado-gpu-*SNAPSHOT.jar \
   compress/target/llmc4j-compress-*SNAPSHOT.jar bench/target/llmc4j-bench-*SNAPSHOT.jar "$dest/lib/"
tr ':' '\n' < compress/target/classpath.txt | grep '\.m2/' | xargs -I{} cp {} "$dest/lib/"
"$JAVA_HOME/bin/jar" cf "$dest/lib/llmc4j-tornado-gpu-tests.jar" -C tornado-gpu/target/test-classes .
m2=~/.m2/repository
mvn -q -B -ntp dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 >/dev/null
cp $m2/org/junit/platform/junit-platform-console-standalone/1.14.1/junit-platform-console-standalone-1.14.1.jar "$dest/junit/junit-platform-console-standalone.jar"
cp $m2/net/jqwik/jqwik-api/1.9.3/jqwik-api-1.9.3.jar "$dest/junit/jqwik-api.jar"
cp $m2/net/jqwik/jqwik-engine/1.9.3/jqwik-engine-1.9.3.jar "$dest/junit/jqwik-engine.jar"
cp bench/device/device-check.sh "$dest/"
du -sh "$dest"
