package io.llmc4j.engine.fx;

import io.llmc4j.engine.ops.OpCode;
import java.util.List;
import java.util.Objects;

/** Runs {@code op} through {@code Ops.invoke}, with {@code args} in the order {@code Ops} takes them. */
public record CallFunction(String name, OpCode op, List<Arg> args, TensorMeta meta) implements Node {
    public CallFunction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        args = List.copyOf(args);
        Objects.requireNonNull(meta, "meta");
    }

    @Override
    public List<String> inputs() {
        return Arg.refs(args);
    }

    @Override
    public String opName() {
        return "call_function";
    }
}
