# Sourced by ./build and ./llmc: finds a JDK 25 and exports JAVA_HOME for this process only.
# Order: $LLMC_JAVA_HOME, $JAVA_HOME (if it is 25+), then the system JVM folder.
llmc_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
llmc_find_jdk25() {
  local candidate
  for candidate in "${LLMC_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    local major; major=$(llmc_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! LLMC_JDK=$(llmc_find_jdk25); then
  echo "llmc4j needs JDK 25 or newer, and none was found in \$LLMC_JAVA_HOME, \$JAVA_HOME or /usr/lib/jvm." >&2
  echo "Install one (e.g. Temurin 25 into /usr/lib/jvm) or point LLMC_JAVA_HOME at it." >&2
  exit 3
fi
export JAVA_HOME="$LLMC_JDK"
