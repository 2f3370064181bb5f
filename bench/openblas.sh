# Sourced by the bench commands that compare against OpenBLAS: installs libopenblas0-pthread (which also
# carries LAPACK) when it is missing and apt-get is available, else says the bench reports llmc4j only;
# sets OPENBLAS_NUM_THREADS (default 2). $1 names the calling command in messages.
if ! ldconfig -p 2>/dev/null | grep -q 'libopenblas.so.0'; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "$1: installing libopenblas0-pthread" >&2
    (apt-get install -y libopenblas0-pthread >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y libopenblas0-pthread >/dev/null 2>&1; }) \
      || echo "$1: could not install libopenblas0-pthread; reporting llmc4j only" >&2
  else
    echo "$1: OpenBLAS is not installed and apt-get is unavailable; reporting llmc4j only" >&2
  fi
fi
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
