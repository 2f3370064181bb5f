package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Scales and zero points from observed ranges: compressed-tensors {@code calculate_qparams}, bit for bit.
 *
 * <pre>
 *   min, max  = min(min, 0), max(max, 0)              0 is always representable
 *   symmetric : scale = max(|min|, |max|) / ((qmax - qmin) / 2)      7.5 for int4, 127.5 for int8, 448 FP8, 6 FP4
 *               (MX args: scale = E8M0 exponent code, see MxScales)            zero point = 0
 *   asymmetric: scale = (max - min) / (qmax - qmin)
 *               zp    = clamp(qmin - min / scale, qmin, qmax)                  (FP4: unsupported)
 *   global    : scale = global_scale * scale                                   (tensor_group; promotes to F32)
 *   scale_dtype rounding (FP8: clamp ±448 then RNE; bf16/f16: RNE; uint8: round(clamp(0, 255)))
 *   MX        : scale = 2^(code - 127)
 *   scale == 0 (exactly) becomes eps(scale_dtype or scale dtype): 2^-23 f32, 2^-7 bf16, 2^-10 f16, 0.125 FP8
 *   zp rounded to zp_dtype (int: round half even after clamping to its range; FP8: RNE)
 * </pre>
 *
 * Every step is evaluated in the dtype of the statistics (F32, BF16 or F16) as torch does, see
 * {@link TorchArithmetic}. Inputs are not modified. Stateless and thread-safe.
 */
public final class QParamsCalculator {
    private QParamsCalculator() {
    }

    /**
     * @param minVals observed minima, any shape (F32/BF16/F16)
     * @param maxVals observed maxima, same shape
     * @param args quantization args
     * @param globalScale F32 (1,) global scale, or null
     * @return scale and zero point shaped like {@code minVals} ((1,) for a scalar); {@code globalScale} is
     *     passed through
     */
    public static QParams calculate(Tensor minVals, Tensor maxVals, QuantizationArgs args, Tensor globalScale) {
        if (!minVals.shape().equals(maxVals.shape()))
            throw new IllegalArgumentException("min_vals " + minVals.shape() + " and max_vals " + maxVals.shape() + " differ in shape");
        DType dtype = TorchArithmetic.promote(minVals.dtype(), maxVals.dtype());
        TorchArithmetic.requireComputeType(dtype, "min_vals/max_vals");
        float[] lo = TensorValues.read(minVals);
        float[] hi = TensorValues.read(maxVals);
        float[] global = globalScale == null ? null : new float[] {TensorValues.scalar(globalScale, "global_scale")};
        DType scaleType = globalScale == null ? dtype : TorchArithmetic.promote(dtype, globalScale.dtype());
        float[] scale = new float[lo.length];
        float[] zero = new float[lo.length];
        calculate(lo, hi, dtype, args, global, scale, zero);
        long[] dims = minVals.rank() == 0 ? new long[] {1} : minVals.shape().toArray();
        return new QParams(TensorValues.write(scale, scaleType, dims), TensorValues.write(zero, args.zpDtype(), dims), globalScale);
    }

    /**
     * The array form: fills {@code scaleOut} (values of the scale dtype) and {@code zeroOut} (values of
     * {@code args.zpDtype()}) from {@code lo}/{@code hi} held in {@code dtype}. {@code globalScale} holds
     * F32 global scales, one for all (length 1) or one per position; it may be null.
     */
    public static void calculate(float[] lo, float[] hi, DType dtype, QuantizationArgs args, float[] globalScale,
                                 float[] scaleOut, float[] zeroOut) {
        QuantizationRange range = QuantizationRange.of(args);
        float bitMin = range.min(), bitMax = range.max();
        float width = range.width();
        boolean mx = MxScales.applies(args);
        if (!args.symmetric() && args.isFp4())
            throw new UnsupportedOperationException("Asymmetric Quantization is not supported for FP4 (num_bits 4, type float)");
        float halfWidth = width / 2;
        DType scaleType = globalScale == null ? dtype : TorchArithmetic.promote(dtype, DType.F32);
        DType scaleDtype = args.scaleDtype();
        float eps = TorchArithmetic.round(scaleType, TorchArithmetic.eps(scaleDtype != null ? scaleDtype : scaleType));
        DType zpDtype = args.zpDtype();
        float zpLo = (float) TorchArithmetic.minValue(zpDtype), zpHi = (float) TorchArithmetic.maxValue(zpDtype);
        for (int i = 0; i < lo.length; i++) {
            float min = Math.min(lo[i], 0f);
            float max = Math.max(hi[i], 0f);
            float scale;
            float zp;
            if (args.symmetric()) {
                float absmax = Math.max(Math.abs(min), Math.abs(max));
                scale = mx ? MxScales.exponentCode(absmax, args.numBits(), dtype) : TorchArithmetic.round(dtype, absmax / halfWidth);
                zp = 0f;
            } else {
                scale = TorchArithmetic.round(dtype, TorchArithmetic.round(dtype, max - min) / width);
                zp = TorchArithmetic.round(dtype, bitMin - TorchArithmetic.round(dtype, min / scale));
                zp = TorchArithmetic.clamp(zp, bitMin, bitMax);
            }
            if (globalScale != null) scale = TorchArithmetic.round(scaleType, globalScale[globalScale.length == 1 ? 0 : i] * scale);
            if (scaleDtype != null) scale = roundToDType(scale, scaleDtype, scaleType);
            if (mx) scale = MxScales.scaleOfCode(scale, scaleType);
            if (scale == 0f) scale = eps;
            scaleOut[i] = scale;
            zeroOut[i] = roundZeroPoint(zp, zpDtype, zpLo, zpHi);
        }
    }

    /** {@code round_to_quantized_type_dtype(value, dtype)} cast back to {@code original}. */
    static float roundToDType(float value, DType dtype, DType original) {
        float clamped = TorchArithmetic.clamp(value, (float) TorchArithmetic.minValue(dtype), (float) TorchArithmetic.maxValue(dtype));
        float rounded = dtype.isFloatingPoint() ? TorchArithmetic.cast(dtype, clamped) : TorchArithmetic.cast(dtype, (float) Math.rint(clamped));
        return TorchArithmetic.round(original, rounded);
    }

    private static float roundZeroPoint(float zp, DType zpDtype, float lo, float hi) {
        float clamped = TorchArithmetic.clamp(zp, lo, hi);
        return zpDtype.isFloatingPoint() ? TorchArithmetic.cast(zpDtype, clamped) : TorchArithmetic.cast(zpDtype, (float) Math.rint(clamped));
    }
}
