#!/usr/bin/env bash
# Memory-bound kernels (BF16->F32 conversion, RMSNorm) against MemorySegment.copy of the same bytes.
#   bench/run-bandwidth.sh [--threads 1] [--sizes 4096x4096,64x4096] [--rounds 30] [--warmup-seconds 2]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/bench-java.sh" 4g io.llmc4j.bench.BandwidthBench "$@"
