package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * Scales and zero points computed from the tensor being quantized (compressed-tensors
 * {@code compute_dynamic_scales_and_zp}), for dynamic activations:
 *
 * <ul>
 *   <li>token: min/max over every axis but the first two, kept as size 1: (batch, tokens, 1) for 3-D
 *       input. With only two axes nothing is reduced per token and the whole tensor gives one (1,).
 *   <li>tensor: one min/max, shape (1,).
 *   <li>group, tensor_group: the last axis splits into (hidden / group_size, group_size), which must
 *       divide exactly; min/max per group, shape (..., groups).
 * </ul>
 *
 * Min/max are exact in x's dtype; {@link QParamsCalculator} does the rest. Stateless.
 */
public final class DynamicQParams {
    private DynamicQParams() {
    }

    /** QParams for {@code x} (F32/BF16/F16, not empty) under dynamic {@code args}; {@code globalScale} may be null. */
    public static QParams compute(Tensor x, QuantizationArgs args, Tensor globalScale) {
        TorchArithmetic.requireComputeType(x.dtype(), "dynamic quantization input");
        if (x.elementCount() == 0) throw new IllegalArgumentException("cannot compute dynamic qparams of an empty tensor " + x.shape());
        long[] dims = x.shape().toArray();
        float[] values = TensorValues.read(x);
        long[] outDims;
        int groupLength;
        switch (args.strategy()) {
            case TOKEN -> {
                if (dims.length <= 2) {
                    outDims = new long[0];
                    groupLength = values.length;
                } else {
                    outDims = dims.clone();
                    long inner = 1;
                    for (int i = 2; i < dims.length; i++) {
                        inner *= dims[i];
                        outDims[i] = 1;
                    }
                    groupLength = (int) inner;
                }
            }
            case TENSOR -> {
                outDims = new long[0];
                groupLength = values.length;
            }
            case GROUP, TENSOR_GROUP -> {
                int groupSize = args.groupSize();
                long hidden = dims[dims.length - 1];
                if (hidden % groupSize != 0)
                    throw new IllegalArgumentException("dynamic group quantization: last dimension " + hidden + " of shape "
                            + Arrays.toString(dims) + " is not a multiple of group_size " + groupSize);
                outDims = dims.clone();
                outDims[dims.length - 1] = hidden / groupSize;
                groupLength = groupSize;
            }
            default -> throw new IllegalArgumentException("Dynamic quantization is only supported for token, tensor, group and tensor_group, found "
                    + args.strategy().value());
        }
        int groups = values.length / groupLength;
        float[] mins = new float[groups];
        float[] maxs = new float[groups];
        MinMax.reduce(values, groups, groupLength, mins, maxs);
        Tensor minVals = TensorValues.write(mins, x.dtype(), outDims);
        Tensor maxVals = TensorValues.write(maxs, x.dtype(), outDims);
        return QParamsCalculator.calculate(minVals, maxVals, args, globalScale);
    }
}
