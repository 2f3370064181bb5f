#!/usr/bin/env bash
# GPTQ's heavy steps on one Linear: Hessian XᵀX, upper factor of H⁻¹, lazy batch updates — llmc4j next
# to OpenBLAS/LAPACK (cblas_ssyrk; spotrf, spotri, spotrf; cblas_sgemm) through FFM, same run, ratios.
#   bench/run-gptq.sh [--n 4096] [--tokens 2048] [--samples 32] [--threads 2] [--rounds 3]
# Installs libopenblas0-pthread (which carries LAPACK) when it is missing and apt-get is available;
# without it the bench reports llmc4j only.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$here/bench/openblas.sh" run-gptq
exec "$here/bench/bench-java.sh" 8g io.llmc4j.bench.GptqBench "$@"
