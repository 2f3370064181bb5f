#!/usr/bin/env bash
# Bulk dtype conversions (F32->F16, F32<->FP8 E4M3/E5M2) against the scalar element-by-element loop, same run.
#   bench/run-conversion.sh [--threads 1] [--sizes 4096x4096,64x4096] [--rounds 15] [--warmup-seconds 2]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/bench-java.sh" 4g io.llmc4j.bench.ConversionBench "$@"
