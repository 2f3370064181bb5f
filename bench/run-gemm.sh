#!/usr/bin/env bash
# GEMM GFLOPS: llmc4j against OpenBLAS cblas_sgemm (through FFM), same run, same buffers, 2 threads.
#   bench/run-gemm.sh [--threads 2] [--shapes 512x2048x2048,2048x2048x5632] [--rounds 20] [--warmup-seconds 4]
# Installs libopenblas0-pthread when it is missing and apt-get is available; without OpenBLAS it still
# reports llmc4j's numbers. OPENBLAS_CORETYPE (e.g. SkylakeX) is passed through when set.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ! ldconfig -p 2>/dev/null | grep -q 'libopenblas.so.0'; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "run-gemm: installing libopenblas0-pthread" >&2
    (apt-get install -y libopenblas0-pthread >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y libopenblas0-pthread >/dev/null 2>&1; }) \
      || echo "run-gemm: could not install libopenblas0-pthread; reporting llmc4j only" >&2
  else
    echo "run-gemm: OpenBLAS is not installed and apt-get is unavailable; reporting llmc4j only" >&2
  fi
fi
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
exec "$here/bench/bench-java.sh" 8g io.llmc4j.bench.GemmBench "$@"
