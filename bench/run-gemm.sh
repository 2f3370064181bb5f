#!/usr/bin/env bash
# GEMM GFLOPS: llmc4j against OpenBLAS cblas_sgemm (through FFM), same run, same buffers, 2 threads.
#   bench/run-gemm.sh [--threads 2] [--shapes 512x2048x2048,2048x2048x5632] [--rounds 20] [--warmup-seconds 4]
# Installs libopenblas0-pthread when it is missing and apt-get is available; without OpenBLAS it still
# reports llmc4j's numbers. OPENBLAS_CORETYPE (e.g. SkylakeX) is passed through when set.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$here/bench/openblas.sh" run-gemm
exec "$here/bench/bench-java.sh" 8g io.llmc4j.bench.GemmBench "$@"
