package io.llmc4j.engine.fx;

import java.util.List;
import java.util.Objects;

/**
 * Reads a parameter or buffer of the module tree by dotted name ({@code model.norm.weight}) when the
 * graph runs, so a weight replaced after tracing is seen. {@code meta} is what the trace saw.
 */
public record GetAttr(String name, String target, TensorMeta meta) implements Node {
    public GetAttr {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(meta, "meta");
    }

    /** The owning module's path ("" for the root). */
    public String modulePath() {
        int dot = target.lastIndexOf('.');
        return dot < 0 ? "" : target.substring(0, dot);
    }

    /** The parameter or buffer name within its module. */
    public String attributeName() {
        return target.substring(target.lastIndexOf('.') + 1);
    }

    @Override
    public List<String> inputs() {
        return List.of();
    }

    @Override
    public String opName() {
        return "get_attr";
    }
}
