#!/usr/bin/env bash
# Accelerator backends in one run: the Vector API path (baseline) next to OpenCL and CUDA where they
# open; Linear GEMM (F32 / BF16 weights), Gram update XᵀX and abs-max reductions, ratios to the CPU,
# and device-resident kernel TFLOP/s as a fraction of --peak-tflops.
#   bench/run-accel.sh [--threads N] [--shapes 512x2048x2048] [--gram 2048x1024] [--reduce 4096x4096]
#                      [--rounds 5] [--warmup-seconds 2] [--devices cpu,opencl,cuda] [--peak-tflops 67]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec "$here/bench/bench-java.sh" 8g io.llmc4j.bench.AccelBench "$@"
