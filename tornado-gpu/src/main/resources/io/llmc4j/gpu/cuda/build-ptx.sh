#!/usr/bin/env bash
# Regenerates kernels.ptx from kernels.cu (run after editing the .cu; the PTX is committed so that
# builds need no CUDA toolkit). compute_90 PTX: the driver compiles it for the H100/H200 at load.
set -euo pipefail
cd "$(dirname "$0")"
nvcc --version | tail -1
nvcc -ptx -arch=compute_90 -O3 -o kernels.ptx kernels.cu
