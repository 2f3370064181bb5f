#!/usr/bin/env bash
# oneshot speed and memory anchor (issue 22): `llmc oneshot` on the synthetic 307M F32 Llama
# (preset llama-307m: hidden 2048, intermediate 5632, 32/4 heads, 4 layers), 32 x 512 calibration
# tokens, checkpoint saved, each recipe with the default pipeline choice. Prints wall time and peak
# RSS (GNU time; also user+sys CPU seconds, steadier than wall time on a shared machine) of this checkout and of a baseline git ref built into bench/target/baseline-SHA in the
# same run, next to LLM Compressor's numbers measured on 2 Intel Xeon cores (from issue 22).
#   bench/run-oneshot.sh [--baseline REF|none] [--only W8A8,FP8,GPTQ] [--repeat N] [--samples N]
# (--samples below 32 is for a quick same-run comparison on a busy machine; the targets are for 32)
# Needs ../shared/recipes/perf-fp8-static.yaml (and perf-gptq-w4a16-g128.yaml for GPTQ, run only when
# this checkout registers a GPTQModifier). Models and data go to bench/target/oneshot.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
baseline=main only=W8A8,FP8,GPTQ repeat=1 samples=32
while [ $# -gt 0 ]; do
  case $1 in
    --baseline) baseline=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    -h|--help) sed -n 2,10p "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
work=bench/target/oneshot
mkdir -p "$work"
recipes=$(cd .. && pwd)/shared/recipes
[ -f "$recipes/perf-fp8-static.yaml" ] || { echo "missing $recipes/perf-fp8-static.yaml" >&2; exit 3; }

# the model and the calibration data, made once
model=$work/llama-307m
[ -f "$model/config.json" ] || ./llmc synth --preset llama-307m --dtype F32 --out "$model" >&2
data=$work/calib-32x512.jsonl
[ -f "$data" ] || awk 'BEGIN { srand(22); for (s = 0; s < 32; s++) { line = "{\"input_ids\": ["; for (t = 0; t < 512; t++) line = line (t ? ", " : "") (3 + int(rand() * 31997)); print line "]}" } }' > "$data"

# the baseline, built from a clean export of REF
sides=("this:$here")
if [ "$baseline" != none ]; then
  sha=$(git rev-parse --short "$baseline")
  base=$here/bench/target/baseline-$sha
  if [ ! -f "$base/compress/target/classpath.txt" ]; then
    rm -rf "$base" && mkdir -p "$base"
    git archive "$sha" | tar -x -C "$base"
    (cd "$base" && ./build -q -pl engine,compress -am package -DskipTests >&2 && touch compress/target/classpath.txt)
  fi
  sides+=("$baseline@$sha:$base")
fi

# workload -> oneshot arguments, LLM Compressor seconds and GiB (issue 22, 2 Intel Xeon cores, default pipelines)
declare -A args=([W8A8]="--scheme W8A8" [FP8]="--recipe $recipes/perf-fp8-static.yaml" [GPTQ]="--recipe $recipes/perf-gptq-w4a16-g128.yaml")
declare -A llmc_s=([W8A8]=8.0 [FP8]=58.5 [GPTQ]=111.8) llmc_gib=([W8A8]=1.86 [FP8]=2.21 [GPTQ]=2.27)

echo "# $samples x 512 tokens; $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load before: $(uptime | sed 's/.*load average: //')"
printf '%-5s %-22s %8s %8s %9s %10s %10s\n' recipe side wall_s cpu_s peak_GiB vs_LLMC_t vs_LLMC_mem
for w in ${only//,/ }; do
  if [ "$w" = GPTQ ] && ! grep -rqs '"GPTQModifier"' compress/src/main/java; then echo "$w: skipped (no GPTQModifier in this checkout)"; continue; fi
  for side in "${sides[@]}"; do
    name=${side%%:*} dir=${side#*:}
    if [ "$w" = GPTQ ] && [ "$dir" != "$here" ] && ! grep -rqs '"GPTQModifier"' "$dir/compress/src/main/java"; then
      printf '%-5s %-22s %s\n' "$w" "$name" "no GPTQModifier"; continue
    fi
    for r in $(seq "$repeat"); do
      out=$work/out-$w-${name//[^A-Za-z0-9]/_}
      log=$out.log
      # shellcheck disable=SC2086
      /usr/bin/time -f '%e %M %U %S' -o "$out.time" "$dir/llmc" oneshot --model "$model" --dataset "$data" --num-samples "$samples" --max-seq-len 512 \
        ${args[$w]} --output "$out" --overwrite > "$log" 2>&1 || { echo "$w $name failed, see $log" >&2; tail -5 "$log" >&2; continue; }
      read -r secs kib user sys < "$out.time"
      cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
      gib=$(awk -v k="$kib" 'BEGIN { printf "%.2f", k / 1048576 }')
      printf '%-5s %-22s %8.1f %8s %9s %9.2fx %9.2fx   (%s)\n' "$w" "$name" "$secs" "$cpu" "$gib" "$(awk -v a="$secs" -v b="${llmc_s[$w]}" 'BEGIN { print a / b }')" \
        "$(awk -v a="$gib" -v b="${llmc_gib[$w]}" 'BEGIN { print a / b }')" "$(grep -m1 '^.*Pipeline:' "$log" | sed 's/.*Pipeline: //')"
    done
  done
  printf '%-5s %-22s %8.1f %8s %9.2f   targets: <= 0.5x time, <= 1.0x RSS\n' "$w" "LLM Compressor (Xeon)" "${llmc_s[$w]}" - "${llmc_gib[$w]}"
done
echo "# load after: $(uptime | sed 's/.*load average: //')"
