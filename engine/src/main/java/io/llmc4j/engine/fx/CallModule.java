package io.llmc4j.engine.fx;

import java.util.List;
import java.util.Objects;

/**
 * Calls the module at {@code modulePath} ("" is the root) with {@code args} through
 * {@code Module.call}, so its hooks run unless disabled. The tracer did not look inside it (a leaf).
 */
public record CallModule(String name, String modulePath, List<Arg> args, TensorMeta meta) implements Node {
    public CallModule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modulePath, "modulePath");
        args = List.copyOf(args);
        Objects.requireNonNull(meta, "meta");
    }

    @Override
    public List<String> inputs() {
        return Arg.refs(args);
    }

    @Override
    public String opName() {
        return "call_module";
    }
}
