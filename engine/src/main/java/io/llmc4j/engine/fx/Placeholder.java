package io.llmc4j.engine.fx;

import java.util.List;
import java.util.Objects;

/** A graph input, supplied by name when the graph runs; {@code meta} is what the trace saw. */
public record Placeholder(String name, TensorMeta meta) implements Node {
    public Placeholder {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(meta, "meta");
    }

    @Override
    public List<String> inputs() {
        return List.of();
    }

    @Override
    public String opName() {
        return "placeholder";
    }
}
