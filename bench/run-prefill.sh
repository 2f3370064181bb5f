#!/usr/bin/env bash
# Prefill benchmark: one 512-token forward of a synthetic Llama-3.2-1B (BF16, cached under
# bench/target/models) with the vector kernels; tokens/s, GFLOPS and forward / GEMM-only ratio.
# Usage: bench/run-prefill.sh [--tokens T] [--runs N] [--warmup N] [--preset NAME]   (--help lists all)
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/bench-java.sh" "${HEAP:-4g}" io.llmc4j.bench.prefill.PrefillBench "$@"
