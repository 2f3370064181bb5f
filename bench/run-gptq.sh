#!/usr/bin/env bash
# GPTQ's heavy steps on one Linear: Hessian XᵀX, upper factor of H⁻¹, lazy batch updates — llmc4j next
# to OpenBLAS/LAPACK (cblas_ssyrk; spotrf, spotri, spotrf; cblas_sgemm) through FFM, same run, ratios.
#   bench/run-gptq.sh [--n 4096] [--tokens 2048] [--samples 32] [--threads 2] [--rounds 3]
# Installs libopenblas0-pthread (which carries LAPACK) when it is missing and apt-get is available;
# without it the bench reports llmc4j only.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ! ldconfig -p 2>/dev/null | grep -q 'libopenblas.so.0'; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "run-gptq: installing libopenblas0-pthread" >&2
    (apt-get install -y libopenblas0-pthread >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y libopenblas0-pthread >/dev/null 2>&1; }) \
      || echo "run-gptq: could not install libopenblas0-pthread; reporting llmc4j only" >&2
  else
    echo "run-gptq: OpenBLAS is not installed and apt-get is unavailable; reporting llmc4j only" >&2
  fi
fi
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
exec "$here/bench/bench-java.sh" 8g io.llmc4j.bench.GptqBench "$@"
