package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The NVFP4 global scale (compressed-tensors {@code generate_gparam}): {@code 448 · 6 / absmax} with
 * absmax = max(|min(min, 0)|, |max(max, 0)|), so that per-group FP8 scales use the whole FP8 range.
 * As in the library, {@code 2688 / t} is evaluated the way Python evaluates {@code scalar / tensor}:
 * {@code reciprocal(t) · 2688}, each step rounded to the statistics' dtype; the result is converted to
 * F32, and an infinite or NaN result (absmax 0 or subnormal) becomes 1.0. Stateless.
 */
public final class GlobalScale {
    /** FP8 E4M3 max × FP4 E2M1 max. */
    public static final float NUMERATOR = 448f * 6f;

    private GlobalScale() {
    }

    /** Elementwise global scales for {@code minVals}/{@code maxVals} (same shape); F32, shape kept ((1,) for a scalar). */
    public static Tensor generate(Tensor minVals, Tensor maxVals) {
        if (!minVals.shape().equals(maxVals.shape()))
            throw new IllegalArgumentException("min_vals " + minVals.shape() + " and max_vals " + maxVals.shape() + " differ in shape");
        DType dtype = TorchArithmetic.promote(minVals.dtype(), maxVals.dtype());
        TorchArithmetic.requireComputeType(dtype, "global scale statistics");
        float[] lo = TensorValues.read(minVals);
        float[] hi = TensorValues.read(maxVals);
        float[] out = new float[lo.length];
        for (int i = 0; i < out.length; i++) out[i] = fromAbsmax(Math.max(Math.abs(Math.min(lo[i], 0f)), Math.abs(Math.max(hi[i], 0f))), dtype);
        long[] dims = minVals.rank() == 0 ? new long[] {1} : minVals.shape().toArray();
        return TensorValues.write(out, DType.F32, dims);
    }

    /** The global scale for one absmax held in {@code dtype}. */
    public static float fromAbsmax(float absmax, DType dtype) {
        float reciprocal = TorchArithmetic.round(dtype, 1f / absmax);
        float scale = TorchArithmetic.round(dtype, reciprocal * NUMERATOR);
        return Float.isFinite(scale) ? scale : 1f;
    }
}
