#!/usr/bin/env bash
# llmc4j issue 20 device check: CUDA accelerator tests, AccelBench (cpu vs cuda), a cuBLAS ceiling
# through PyTorch in the same run, and llmc oneshot --device cuda vs --device cpu. Logs go to $OUT.
set -uo pipefail
C=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
J="$C/jrt/bin/java"
CP=$(ls "$C"/lib/*.jar | tr '\n' ':')
JF="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
step() { echo "=== $(date +%T) $*" | tee -a "$OUT/summary.log"; }
# SMOKE=1: small sizes, for a dry run of this script on a machine without a GPU.
if [ "${SMOKE:-0}" = 1 ]; then SHAPES=256x512x512; GRAM=512x256; RED=1024x1024; PRESET=small; SAMPLES=4; LEN=64; DEVICES=cpu,opencl,cuda
else SHAPES=${SHAPES:-2048x4096x4096,8192x8192x8192}; GRAM=${GRAM:-8192x4096}; RED=${RED:-8192x8192}; PRESET=llama-307m; SAMPLES=${SAMPLES:-32}; LEN=${LEN:-256}; DEVICES=cpu,cuda; fi
# RECIPE=gptq: GPTQ W4A16 (int4 symmetric, group 128; Hessians through the device's gramUpdate) instead of W8A8-static.
RECIPE=${RECIPE:-w8a8}; T_TESTS=${T_TESTS:-100}; T_BENCH=${T_BENCH:-150}; T_ONESHOT=${T_ONESHOT:-110}; SKIP_TORCH=${SKIP_TORCH:-0}
W=$(mktemp -d /tmp/llmc-device-check.XXXXXX)
step start; nvidia-smi -L | tee -a "$OUT/summary.log"; nproc | tee -a "$OUT/summary.log"
ldconfig -p | grep -E 'libcuda.so.1|libOpenCL' | tee -a "$OUT/summary.log"

step "CUDA tests (jqwik contract vs CpuAccelerator, provider fallback)"
cd /tmp
timeout $T_TESTS "$J" $JF -Xmx8g -jar "$C/junit/junit-platform-console-standalone.jar" execute --disable-banner --details=tree \
  --class-path "$CP:$C/junit/jqwik-api.jar:$C/junit/jqwik-engine.jar" \
  --select-class io.llmc4j.gpu.cuda.CudaAcceleratorProperties --select-class io.llmc4j.gpu.AcceleratorsTest \
  > "$OUT/cuda-tests.log" 2>&1
echo "cuda tests rc=$?" | tee -a "$OUT/summary.log"
grep -E "tests (successful|failed|skipped|aborted)|containers failed" "$OUT/cuda-tests.log" | tee -a "$OUT/summary.log"

step "cuBLAS ceiling through PyTorch (same machine, same run)"
[ "$SKIP_TORCH" = 1 ] || timeout 45 python3 - <<'PY' 2>&1 | tee -a "$OUT/summary.log"
import torch, time
torch.backends.cuda.matmul.allow_tf32 = False
for dt, n in ((torch.bfloat16, 8192), (torch.float32, 8192)):
    a = torch.randn(n, n, device="cuda", dtype=dt); b = torch.randn(n, n, device="cuda", dtype=dt)
    for _ in range(3): a @ b
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(10): a @ b
    torch.cuda.synchronize(); s = (time.perf_counter() - t) / 10
    print(f"torch {dt} {n}^3 matmul: {2*n**3/s/1e12:.1f} TFLOP/s")
PY

step "AccelBench cpu vs cuda"
timeout $T_BENCH "$J" $JF -Xmx24g -cp "$CP" io.llmc4j.bench.AccelBench --devices $DEVICES --threads "$(nproc)" \
  --shapes $SHAPES --gram $GRAM --reduce $RED --rounds 3 --warmup-seconds 1 --peak-tflops 67 \
  > "$OUT/accel-bench.log" 2>&1
echo "bench rc=$?" | tee -a "$OUT/summary.log"
cat "$OUT/accel-bench.log" >> "$OUT/summary.log"

step "oneshot W8A8 (static per-tensor input activations: calibration forwards run) --device cuda vs cpu on synthetic $PRESET (BF16)"
LLMC=("$J" $JF -Xmx48g -XX:+UseParallelGC -cp "$CP" io.llmc4j.compress.cli.Llmc)
M=$W/synth-$PRESET; D=/tmp/calib.jsonl; R=/tmp/w8a8-static.yaml
cat > $R <<'YAML'
quant_stage:
  quant_modifiers:
    QuantizationModifier:
      ignore: [lm_head]
      config_groups:
        group_0:
          targets: [Linear]
          weights: {num_bits: 8, type: int, symmetric: true, strategy: channel}
          input_activations: {num_bits: 8, type: int, symmetric: false, strategy: tensor, dynamic: false}
YAML
if [ "$RECIPE" = gptq ]; then R=/tmp/gptq-w4a16.yaml; step "(recipe: GPTQ W4A16 group 128 instead, $SAMPLES x $LEN tokens)"
cat > $R <<'YAML'
quant_stage:
  quant_modifiers:
    GPTQModifier:
      targets: ["Linear"]
      ignore: ["lm_head"]
      scheme: W4A16
YAML
fi
python3 -c "
import random; random.seed(7)
with open('$D','w') as f:
    for _ in range($SAMPLES): f.write('{\"input_ids\": [' + ', '.join(str(random.randrange(1000)) for _ in range($LEN)) + ']}\n')"
timeout 60 "${LLMC[@]}" synth --preset $PRESET --dtype BF16 --out $M > "$OUT/oneshot.log" 2>&1; echo "synth rc=$?" | tee -a "$OUT/summary.log"
for dev in cuda cpu; do
  s=$(date +%s.%N)
  timeout $T_ONESHOT "${LLMC[@]}" oneshot --model $M --recipe $R --dataset $D --num-samples $SAMPLES --max-seq-len $LEN --device $dev --output $W/out-$dev >> "$OUT/oneshot.log" 2>&1
  rc=$?; e=$(date +%s.%N)
  echo "oneshot --device $dev rc=$rc wall $(python3 -c "print(round($e-$s,1))") s" | tee -a "$OUT/summary.log"
done
grep -E "llmc:|device" "$OUT/oneshot.log" | head -5 | tee -a "$OUT/summary.log"
grep -iE "time|took|calibrat|seconds| s$|phase" "$OUT/oneshot.log" | grep -v GPTQModifier | tail -30 | tee -a "$OUT/summary.log"
for f in $W/out-cpu/*.safetensors; do cmp "$f" "$W/out-cuda/$(basename "$f")" && echo "identical: $(basename "$f")"; done 2>&1 | tee -a "$OUT/summary.log"
python3 - <<PY 2>&1 | tee -a "$OUT/summary.log"
from safetensors.torch import load_file
import torch, glob
a = {}; b = {}
for f in glob.glob("$W/out-cpu/*.safetensors"): a.update(load_file(f))
for f in glob.glob("$W/out-cuda/*.safetensors"): b.update(load_file(f))
worst = 0.0; diff = []
for k in sorted(a):
    if k not in b: diff.append(k + " missing"); continue
    x, y = a[k].to(torch.float64), b[k].to(torch.float64)
    if x.shape != y.shape: diff.append(k + " shape"); continue
    if not torch.equal(x, y) and not a[k].dtype.is_floating_point:
        n = int((a[k] != b[k]).sum()); diff.append(f"{k}: {n} of {a[k].numel()} integers differ"); continue
    if not torch.equal(x, y):
        r = float(torch.max(torch.abs(x - y) / torch.clamp(torch.abs(x), min=1e-30)))
        diff.append(f"{k}: max rel diff {r:.3g}"); worst = max(worst, r)
print(f"tensors {len(a)}, differing {len(diff)}, worst relative difference {worst:.3g}")
for d in diff[:12]: print("  ", d)
PY
python3 - <<PY 2>&1 | tee -a "$OUT/summary.log"
import json
for d in ("cuda", "cpu"):
    try:
        r = json.load(open(f"$W/out-{d}.report.json"))
        print(d, {k: v for k, v in r.items() if "time" in k.lower() or "second" in k.lower() or k in ("timings",)})
    except Exception as e: print(d, "no report", e)
PY
step done
