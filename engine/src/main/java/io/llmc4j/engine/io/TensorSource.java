package io.llmc4j.engine.io;

import io.llmc4j.engine.tensor.Tensor;
import java.util.Set;

/**
 * Named tensors a model is built from: one safetensors file, a sharded checkpoint, or tensors made
 * in memory. Tensors returned are views whose memory stays valid until {@link #close()}.
 */
public interface TensorSource extends AutoCloseable {
    /** All tensor names. */
    Set<String> names();

    default boolean contains(String name) {
        return names().contains(name);
    }

    /**
     * The tensor {@code name}.
     *
     * @throws IllegalArgumentException naming the tensor and the source when it is absent
     */
    Tensor get(String name);

    /** Where the tensors come from, for error messages (a path, or a description). */
    String description();

    @Override
    void close();
}
