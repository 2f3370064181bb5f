#!/usr/bin/env bash
# quantize-files (model-free) benchmark: time and peak RSS of `llmc quantize-files` on a synthetic BF16
# checkpoint (written once under bench/target/models with `llmc synth`), against a same-run baseline:
# copying the same checkpoint with cp (the I/O floor of reading every byte and writing a checkpoint).
# Usage: bench/run-quantize-files.sh [--preset llama-3.2-1b] [--scheme FP8_DYNAMIC] [--workers 2]
#        [--shard-size 1GB] [--heap 1g] [--keep]
# The JVM heap is bounded (--heap, default 1g) to show that memory does not grow with the checkpoint:
# peak RSS should stay near heap use + a few tensors, far below the checkpoint size.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=llama-3.2-1b scheme=FP8_DYNAMIC workers=2 shard=1GB heap=1g keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --preset) preset=$2; shift 2 ;;
    --scheme) scheme=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --shard-size) shard=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) echo "unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
cd "$here"
model=bench/target/models/$preset-BF16-$shard
out=bench/target/quantize-files-out
copy=bench/target/quantize-files-copy
if [ ! -f "$model/config.json" ]; then
  mkdir -p bench/target/models
  ./llmc synth --preset "$preset" --dtype BF16 --max-shard-bytes "$shard" --out "$model" >&2
fi
bytes=$(du -sb "$model" | cut -f1)
shards=$(ls "$model"/*.safetensors | wc -l)
rm -rf "$out" "$copy"
sync
t0=$(date +%s.%N)
cp -r "$model" "$copy"
sync
t1=$(date +%s.%N)
rm -rf "$copy"
report=$(LLMC_JAVA_OPTS="-Xmx$heap" ./llmc quantize-files --model "$model" --scheme "$scheme" --workers "$workers" --output "$out" --json 2>/dev/null)
sync
t2=$(date +%s.%N)
python3 - "$report" "$bytes" "$shards" "$t0" "$t1" "$t2" "$scheme" "$workers" "$heap" "$out" <<'PY'
import json, sys, os
r = json.loads(sys.argv[1]); size = int(sys.argv[2]); shards = int(sys.argv[3])
t0, t1, t2 = map(float, sys.argv[4:7]); scheme, workers, heap, out = sys.argv[7:11]
copy_s, quant_s = t1 - t0, t2 - t1
out_bytes = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
gib = 1 << 30
print(f"checkpoint {size / gib:.2f} GiB BF16 in {shards} shard(s); scheme {scheme}, --workers {workers}, heap {heap}")
print(f"cp -r (baseline)      {copy_s:7.1f} s   {size / gib / copy_s:6.2f} GiB/s")
print(f"quantize-files        {quant_s:7.1f} s   {size / gib / quant_s:6.2f} GiB/s   (in-process {r['seconds']:.1f} s)   output {out_bytes / gib:.2f} GiB")
print(f"time ratio quantize-files / cp: {quant_s / copy_s:.2f}")
print(f"peak RSS {r['peak_rss_bytes'] / gib:.2f} GiB = {r['peak_rss_bytes'] / size:.2f} of the checkpoint")
PY
[ "$keep" = 1 ] || rm -rf "$out"
