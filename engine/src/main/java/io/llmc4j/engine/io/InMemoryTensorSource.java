package io.llmc4j.engine.io;

import io.llmc4j.engine.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link TensorSource} over tensors already in memory (tests, synthetic models, tensors produced by
 * a transform).
 *
 * <p>The source keeps the given tensors by reference, in the map's iteration order; it does not copy
 * their data and does not own their memory, so {@link #close()} frees nothing: it only makes later
 * calls to {@link #get} fail. Immutable after construction and safe to read from several threads.
 */
public final class InMemoryTensorSource implements TensorSource {
    private final String description;
    private final Map<String, Tensor> tensors;
    private volatile boolean closed;

    /** A source described as "in-memory tensors". */
    public InMemoryTensorSource(Map<String, Tensor> tensors) {
        this("in-memory tensors", tensors);
    }

    /**
     * @param description what the tensors are, used in error messages
     * @param tensors     name to tensor; neither names nor tensors may be null
     */
    public InMemoryTensorSource(String description, Map<String, Tensor> tensors) {
        this.description = Objects.requireNonNull(description, "description");
        Objects.requireNonNull(tensors, "tensors");
        Map<String, Tensor> copy = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            if (name == null) throw new IllegalArgumentException(description + ": a tensor name is null");
            if (tensor == null) throw new IllegalArgumentException(description + ": tensor '" + name + "' is null");
            copy.put(name, tensor);
        });
        this.tensors = Collections.unmodifiableMap(copy);
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public Tensor get(String name) {
        if (closed) throw new IllegalStateException(description + " is closed; cannot get tensor '" + name + "'");
        Tensor tensor = tensors.get(name);
        if (tensor == null)
            throw new IllegalArgumentException("no tensor '" + name + "' in " + description + " (" + tensors.size() + " tensors)");
        return tensor;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
    }
}
