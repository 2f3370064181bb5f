package io.llmc4j.engine.models;

import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.ops.convert.BlockDequantization;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors a model build asks for, by Hugging Face name and expected shape. Over a
 * {@link TensorSource} each request is checked (present, floating point, that shape) and answered
 * with the source's tensor (a view, no copy; FP8 block-quantized weights of an FP8 checkpoint are
 * dequantized to F32 copies with their {@code weight_scale_inv}); in recording mode every request is answered with a
 * data-less tensor of that shape, so that building a model lists its parameters
 * ({@link Architecture#parameterShapes}) without any weights. Not thread-safe; one build.
 */
final class Weights {
    private final TensorSource source;
    private final String modelType;
    private final int[] fp8Block;
    private final Map<String, long[]> requested = new LinkedHashMap<>();

    private Weights(TensorSource source, String modelType, int[] fp8Block) {
        this.source = source;
        this.modelType = modelType;
        this.fp8Block = fp8Block;
    }

    /**
     * @param fp8Block the [rows, cols] block of FP8 weights with {@code weight_scale_inv} (config.json's
     *                 {@code quantization_config.weight_block_size}), or null when the checkpoint is not FP8
     */
    static Weights of(TensorSource source, String modelType, int[] fp8Block) {
        return new Weights(source, modelType, fp8Block);
    }

    static Weights recording(String modelType) {
        return new Weights(null, modelType, null);
    }

    /**
     * Tensor {@code name}, which must have shape {@code dims}.
     *
     * @throws IllegalArgumentException naming the tensor and the source when it is missing, not F32/BF16/F16, or of another shape
     */
    Tensor get(String name, long... dims) {
        if (requested.put(name, dims.clone()) != null) throw new IllegalStateException("tensor '" + name + "' requested twice by the " + modelType + " build");
        if (source == null) return Tensor.symbolic(DType.F32, Shape.of(dims), null);
        if (!source.contains(name))
            throw new IllegalArgumentException("tensor '" + name + "' is missing from " + source.description()
                    + " (model_type " + modelType + " expects it with shape " + Arrays.toString(dims) + ")");
        Tensor t = source.get(name);
        if (t.dtype() == DType.F8_E4M3 && fp8Block != null) {
            String scale = name + "_scale_inv";
            if (!source.contains(scale))
                throw new IllegalArgumentException("FP8 tensor '" + name + "' in " + source.description() + " has no '" + scale + "' to dequantize it");
            t = BlockDequantization.dequantize(name, t, source.get(scale), fp8Block[0], fp8Block[1]);
        }
        if (t.dtype() != DType.F32 && t.dtype() != DType.BF16 && t.dtype() != DType.F16)
            throw new IllegalArgumentException("tensor '" + name + "' in " + source.description() + " has dtype " + t.dtype()
                    + "; expected F32, BF16 or F16");
        if (!Arrays.equals(t.shape().toArray(), dims))
            throw new IllegalArgumentException("tensor '" + name + "' in " + source.description() + " has shape "
                    + Arrays.toString(t.shape().toArray()) + "; the config expects " + Arrays.toString(dims));
        return t;
    }

    /** True when the source holds {@code name} (false in recording mode: the build then takes the checkpoint's own layout). */
    boolean contains(String name) {
        return source != null && source.contains(name);
    }

    /** Every tensor asked for so far, in order, with its shape. */
    Map<String, long[]> requested() {
        return Collections.unmodifiableMap(requested);
    }
}
