package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Quantize, dequantize and fake-quantize for every strategy (compressed-tensors
 * {@code quantize}/{@code dequantize}/{@code fake_quantize}), bit for bit on the CPU:
 *
 * <ul>
 *   <li>Shapes: x is any shape (weights {@code [out, in]}, activations {@code [..., hidden]}); the scale
 *       and zero point have the strategy's shape (see {@link QuantizationStrategy}); block quantization
 *       needs 2-D x; grouped strategies need the last axis to be a multiple of {@code group_size}.
 *   <li>Dtypes: x is F32, BF16 or F16 and every step is rounded as torch rounds it in that dtype; the
 *       scale is F32/BF16/F16; an optional F32 (1,) global scale divides the scale first (NVFP4).
 *   <li>Results: {@code quantize} returns {@code dtype} when given (int8, FP8), else the dtype of
 *       {@code x / scale} (x's dtype for grouped strategies); {@code dequantize} returns {@code dtype}
 *       or the scale's dtype; {@code fakeQuantize} returns the effective scale's dtype, or x's dtype for
 *       grouped strategies. Fake-quantize keeps the −0.0 of {@code round(−0.3)} where
 *       dequantize(quantize(x)) through int8 gives +0.0, as the library does.
 *   <li>Empty tensors give empty results.
 * </ul>
 *
 * Results are new heap tensors; inputs are not modified. Stateless and thread-safe.
 */
public final class QuantizeOps {
    private QuantizeOps() {
    }

    /** {@code quantize(x, scale, zero_point, args, dtype)}; {@code zeroPoint} and {@code dtype} may be null. */
    public static Tensor quantize(Tensor x, Tensor scale, Tensor zeroPoint, QuantizationArgs args, DType dtype) {
        return quantize(x, scale, zeroPoint, args, dtype, null, null);
    }

    /**
     * Quantizes {@code x}; {@code gIdx} (int column → group, or null) and {@code globalScale} (or null)
     * as in the library.
     */
    public static Tensor quantize(Tensor x, Tensor scale, Tensor zeroPoint, QuantizationArgs args, DType dtype, Tensor gIdx, Tensor globalScale) {
        TorchArithmetic.requireComputeType(x.dtype(), "quantize input x");
        QdqKernel kernel = kernel(args, x.dtype(), scale, zeroPoint, globalScale);
        DType out = dtype != null ? dtype : args.strategy().isGrouped() ? x.dtype() : kernel.quantType();
        float[] values = TensorValues.read(x);
        float[] result = new float[values.length];
        if (values.length > 0) kernel.quantize(values, result, layout(args, args.strategy(), x, scale, gIdx));
        return TensorValues.write(result, out, x.shape().toArray());
    }

    /** {@code dequantize(q, scale, zero_point, args)}: the result has the scale's dtype. */
    public static Tensor dequantize(Tensor q, Tensor scale, Tensor zeroPoint, QuantizationArgs args) {
        return dequantize(q, scale, zeroPoint, args, null, null, null);
    }

    /** Dequantizes {@code q} (any numeric dtype) to {@code dtype}, or to the scale's dtype when null. */
    public static Tensor dequantize(Tensor q, Tensor scale, Tensor zeroPoint, QuantizationArgs args, DType dtype, Tensor gIdx, Tensor globalScale) {
        QuantizationArgs effective = args != null ? args : inferArgs(q, scale);
        QdqKernel kernel = kernel(effective, q.dtype(), scale, zeroPoint, globalScale);
        DType out = dtype != null ? dtype : scale.dtype();
        float[] values = TensorValues.read(q);
        float[] result = new float[values.length];
        if (values.length > 0) kernel.dequantize(values, result, layout(effective, effective.strategy(), q, scale, gIdx));
        return TensorValues.write(castAll(result, out), out, q.shape().toArray());
    }

    /** {@code fake_quantize(x, scale, zero_point, args)}. */
    public static Tensor fakeQuantize(Tensor x, Tensor scale, Tensor zeroPoint, QuantizationArgs args) {
        return fakeQuantize(x, scale, zeroPoint, args, null, null);
    }

    /** Quantizes then dequantizes {@code x} in one pass, without an integer intermediate. */
    public static Tensor fakeQuantize(Tensor x, Tensor scale, Tensor zeroPoint, QuantizationArgs args, Tensor gIdx, Tensor globalScale) {
        return fakeQuantize(x, scale, zeroPoint, args, args.strategy(), gIdx, globalScale);
    }

    /**
     * Fake-quantizes with {@code strategy} in place of {@code args.strategy()}; the MSE observer uses
     * TOKEN this way to apply per-row candidate scales to its flattened observations.
     */
    static Tensor fakeQuantize(Tensor x, Tensor scale, Tensor zeroPoint, QuantizationArgs args, QuantizationStrategy strategy,
                               Tensor gIdx, Tensor globalScale) {
        TorchArithmetic.requireComputeType(x.dtype(), "fake_quantize input x");
        QdqKernel kernel = kernel(args, x.dtype(), scale, zeroPoint, globalScale);
        DType out = strategy.isGrouped() ? x.dtype() : kernel.scaleType();
        float[] values = TensorValues.read(x);
        float[] result = new float[values.length];
        if (values.length > 0) kernel.fakeQuantize(values, result, layout(args, strategy, x, scale, gIdx));
        return TensorValues.write(castAll(result, out), out, x.shape().toArray());
    }

    /**
     * The args {@code dequantize} infers when given none, from the scale's shape: rank 0/1 → tensor;
     * (rows, 1) → channel; (1 or rows, g) → group of {@code cols / g}; otherwise block.
     */
    static QuantizationArgs inferArgs(Tensor q, Tensor scale) {
        int rank = scale.rank();
        if (rank <= 1) return QuantizationArgs.builder().strategy(QuantizationStrategy.TENSOR).build();
        if (rank != 2)
            throw new IllegalArgumentException("Could not infer a quantization strategy from scale with " + rank
                    + " dimensions. Expected 0, 1 or 2 dimensions.");
        if (scale.dim(1) == 1) return QuantizationArgs.builder().strategy(QuantizationStrategy.CHANNEL).build();
        if (scale.dim(0) == 1 || scale.dim(0) == q.dim(0))
            return QuantizationArgs.builder().strategy(QuantizationStrategy.GROUP).groupSize((int) (q.dim(1) / scale.dim(1))).build();
        return QuantizationArgs.builder().strategy(QuantizationStrategy.BLOCK)
                .blockStructure((int) (q.dim(-2) / scale.dim(0)), (int) (q.dim(-1) / scale.dim(1))).build();
    }

    private static QdqKernel kernel(QuantizationArgs args, DType valueType, Tensor scale, Tensor zeroPoint, Tensor globalScale) {
        TorchArithmetic.requireComputeType(scale.dtype(), "scale");
        if (zeroPoint != null && zeroPoint.elementCount() != scale.elementCount())
            throw new IllegalArgumentException("zero point " + zeroPoint.shape() + " does not match scale " + scale.shape());
        float[] zero = zeroPoint == null ? null : TensorValues.read(zeroPoint);
        float[] global = globalScale == null ? null : new float[] {TensorValues.scalar(globalScale, "global_scale")};
        return new QdqKernel(args, valueType, scale.dtype(), TensorValues.read(scale), zero, global,
                globalScale == null ? null : globalScale.dtype());
    }

    private static ParamLayout layout(QuantizationArgs args, QuantizationStrategy strategy, Tensor x, Tensor scale, Tensor gIdx) {
        int[] groups = null;
        if (gIdx != null) {
            float[] g = TensorValues.read(gIdx);
            groups = new int[g.length];
            for (int i = 0; i < g.length; i++) groups[i] = (int) g[i];
        }
        return ParamLayout.of(strategy, args, x.shape(), scale.shape(), groups);
    }

    private static float[] castAll(float[] values, DType dtype) {
        if (dtype == DType.F32) return values;
        for (int i = 0; i < values.length; i++) values[i] = TorchArithmetic.cast(dtype, values[i]);
        return values;
    }
}
