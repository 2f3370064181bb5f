package io.llmc4j.engine.fx;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/** The graph's results: the values of nodes {@code values}, returned by name. Always the last node. */
public record Output(String name, List<String> values) implements Node {
    public Output {
        Objects.requireNonNull(name, "name");
        values = List.copyOf(new LinkedHashSet<>(values));
    }

    @Override
    public List<String> inputs() {
        return values;
    }

    @Override
    public String opName() {
        return "output";
    }
}
