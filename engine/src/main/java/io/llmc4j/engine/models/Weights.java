package io.llmc4j.engine.models;

import io.llmc4j.engine.io.TensorSource;
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
 * with the source's tensor (a view, no copy); in recording mode every request is answered with a
 * data-less tensor of that shape, so that building a model lists its parameters
 * ({@link Architecture#parameterShapes}) without any weights. Not thread-safe; one build.
 */
final class Weights {
    private final TensorSource source;
    private final String modelType;
    private final Map<String, long[]> requested = new LinkedHashMap<>();

    private Weights(TensorSource source, String modelType) {
        this.source = source;
        this.modelType = modelType;
    }

    static Weights of(TensorSource source, String modelType) {
        return new Weights(source, modelType);
    }

    static Weights recording(String modelType) {
        return new Weights(null, modelType);
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
