#!/usr/bin/env bash
# Sequential-pipeline memory benchmark: peak RSS over a mapped >= 8 GiB BF16 checkpoint (written once
# under bench/target/models), releasing mapped weights on vs off (baseline) in the same run.
# Usage: bench/run-sequential-memory.sh [--samples N] [--tokens T] [--baseline-samples N] [--layers L]
#        [--model-dir DIR] [--delete-checkpoint] ...   (--help lists all)
# The JVM heap is bounded (HEAP, default 2g): activations of one T-token sample plus one prefetched
# batch, far below that for T <= 512; the bound printed by the bench does not include the heap slack.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/bench-java.sh" "${HEAP:-2g}" io.llmc4j.bench.pipeline.SequentialMemoryBench "$@"
