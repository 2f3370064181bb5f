package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;

/**
 * The elementwise core of quantize / dequantize / fake-quantize over float arrays, emulating torch's
 * per-op dtype rounding ({@link TorchArithmetic}). Built once per call with the effective scale
 * ({@code scale / global_scale} when a global scale is given), then applied run by run along a
 * {@link ParamLayout}, so the inner loops see one scale and one zero point.
 *
 * <pre>
 *   quantize  : q = grid(clamp(round_Q(round_Q(x / s) + zp_x), qmin, qmax))     Q = promote(x, s)
 *   dequantize: d = round_S(round_S(q - zp_s) * s)                               S = dtype of s
 *   fake      : dequantize(quantize(x)) without leaving Q/S (so round(-0.3) = -0.0 survives)
 * </pre>
 *
 * Immutable after construction and thread-safe; cheap to build (one per call or per search step).
 */
public final class QdqKernel {
    private final DType valueType;
    private final DType scaleType;
    private final DType quantType;
    private final float[] scale;
    private final float[] zeroAsValue;
    private final float[] zeroAsScale;
    private final float qmin;
    private final float qmax;
    private final QuantizedGrid grid;

    /**
     * @param args quantization args (grid and clamp range)
     * @param valueType dtype of x (for quantize / fake) or of q (for dequantize)
     * @param scaleType dtype of the scale as given
     * @param scale scale values
     * @param zero zero point values (exact), or null
     * @param globalScale global scales, one for all (length 1) or one per scale entry, or null
     * @param globalType dtype of the global scale tensor
     */
    public QdqKernel(QuantizationArgs args, DType valueType, DType scaleType, float[] scale, float[] zero, float[] globalScale, DType globalType) {
        this.valueType = valueType;
        this.scaleType = globalScale == null ? scaleType : TorchArithmetic.promote(scaleType, globalType);
        this.quantType = valueType.isFloatingPoint() ? TorchArithmetic.promote(valueType, this.scaleType) : this.scaleType;
        this.scale = scale.clone();
        if (globalScale != null) {
            if (globalScale.length != 1 && globalScale.length != scale.length)
                throw new IllegalArgumentException(globalScale.length + " global scales for " + scale.length + " scales");
            for (int i = 0; i < this.scale.length; i++) {
                this.scale[i] = TorchArithmetic.round(this.scaleType, this.scale[i] / globalScale[globalScale.length == 1 ? 0 : i]);
            }
        }
        if (zero != null) {
            zeroAsValue = new float[zero.length];
            zeroAsScale = new float[zero.length];
            for (int i = 0; i < zero.length; i++) {
                zeroAsValue[i] = valueType.isFloatingPoint() ? TorchArithmetic.cast(valueType, zero[i]) : zero[i];
                zeroAsScale[i] = TorchArithmetic.cast(this.scaleType, zero[i]);
            }
        } else {
            zeroAsValue = null;
            zeroAsScale = null;
        }
        QuantizationRange range = QuantizationRange.of(args);
        this.qmin = range.min();
        this.qmax = range.max();
        this.grid = QuantizedGrid.of(args);
    }

    /** Dtype of {@code x / scale}: what {@code quantize} returns before any cast. */
    public DType quantType() {
        return quantType;
    }

    /** Dtype of the effective scale: what {@code dequantize} and {@code fake_quantize} compute in. */
    public DType scaleType() {
        return scaleType;
    }

    /** Quantized values of {@code x} into {@code out} (values on the grid, in {@link #quantType()}). */
    public void quantize(float[] x, float[] out, ParamLayout layout) {
        layout.forEachRun((start, length, p) -> {
            float s = scale[p];
            boolean hasZero = zeroAsValue != null;
            float z = hasZero ? zeroAsValue[p] : 0f;
            for (int i = start, end = start + length; i < end; i++) out[i] = quantizeOne(x[i], s, hasZero, z);
        });
    }

    /** Dequantized values of {@code q} into {@code out} (in {@link #scaleType()}). */
    public void dequantize(float[] q, float[] out, ParamLayout layout) {
        layout.forEachRun((start, length, p) -> {
            float s = scale[p];
            boolean hasZero = zeroAsScale != null;
            float z = hasZero ? zeroAsScale[p] : 0f;
            for (int i = start, end = start + length; i < end; i++) out[i] = dequantizeOne(q[i], s, hasZero, z);
        });
    }

    /** Fake-quantized values of {@code x} into {@code out} (in {@link #scaleType()}). */
    public void fakeQuantize(float[] x, float[] out, ParamLayout layout) {
        boolean allF32 = quantType == DType.F32 && scaleType == DType.F32;
        layout.forEachRun((start, length, p) -> {
            float s = scale[p];
            boolean hasZero = zeroAsValue != null;
            float zv = hasZero ? zeroAsValue[p] : 0f;
            float zs = hasZero ? zeroAsScale[p] : 0f;
            if (allF32) {
                fakeQuantizeF32(x, out, start, start + length, s, zv, zs);
                return;
            }
            for (int i = start, end = start + length; i < end; i++) {
                out[i] = dequantizeOne(quantizeOne(x[i], s, hasZero, zv), s, hasZero, zs);
            }
        });
    }

    /**
     * One element of {@link #fakeQuantize} with parameter {@code param} (the same rounding steps, for
     * callers that pick each element's parameter themselves, such as GPTQ's column loop).
     */
    public float fakeQuantize(float x, int param) {
        boolean hasZero = zeroAsValue != null;
        float s = scale[param];
        return dequantizeOne(quantizeOne(x, s, hasZero, hasZero ? zeroAsValue[param] : 0f), s, hasZero, hasZero ? zeroAsScale[param] : 0f);
    }

    /**
     * The F32 case of {@link #fakeQuantize} as one tight loop per grid: no dtype rounding is needed, and
     * adding a zero zero-point is kept because {@code -0.0 + 0} is {@code +0} (the library always adds
     * the zero point it is given).
     */
    private void fakeQuantizeF32(float[] x, float[] out, int start, int end, float s, float zv, float zs) {
        boolean hasZero = zeroAsValue != null;
        float lo = qmin, hi = qmax;
        switch (grid) {
            case INTEGER -> {
                for (int i = start; i < end; i++) {
                    float v = x[i] / s;
                    if (hasZero) v += zv;
                    v = (float) Math.rint(v < lo ? lo : v > hi ? hi : v);
                    if (hasZero) v -= zs;
                    out[i] = v * s;
                }
            }
            case FP8_E4M3 -> {
                for (int i = start; i < end; i++) {
                    float v = x[i] / s;
                    if (hasZero) v += zv;
                    v = FloatFormats.roundToE4M3(v < lo ? lo : v > hi ? hi : v);
                    if (hasZero) v -= zs;
                    out[i] = v * s;
                }
            }
            case FP4_E2M1 -> {
                for (int i = start; i < end; i++) {
                    float v = x[i] / s;
                    if (hasZero) v += zv;
                    v = Fp4E2M1.cast(v < lo ? lo : v > hi ? hi : v);
                    if (hasZero) v -= zs;
                    out[i] = v * s;
                }
            }
        }
    }

    private float quantizeOne(float x, float s, boolean hasZero, float z) {
        float v = TorchArithmetic.round(quantType, x / s);
        if (hasZero) v = TorchArithmetic.round(quantType, v + z);
        return grid.round(TorchArithmetic.clamp(v, qmin, qmax));
    }

    private float dequantizeOne(float q, float s, boolean hasZero, float z) {
        float d = TorchArithmetic.round(scaleType, q);
        if (hasZero) d = TorchArithmetic.round(scaleType, d - z);
        return TorchArithmetic.round(scaleType, d * s);
    }
}
