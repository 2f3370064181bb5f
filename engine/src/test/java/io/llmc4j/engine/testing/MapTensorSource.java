package io.llmc4j.engine.testing;

import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A {@link TensorSource} over an in-memory map (tests only). Closing it does nothing. */
public final class MapTensorSource implements TensorSource {
    private final Map<String, Tensor> tensors;
    private final String description;

    public MapTensorSource(Map<String, Tensor> tensors, String description) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.description = description;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no tensor '" + name + "' in " + description);
        return t;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
    }
}
