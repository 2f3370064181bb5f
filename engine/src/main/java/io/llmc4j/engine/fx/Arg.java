package io.llmc4j.engine.fx;

import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One argument of a {@link CallFunction} or {@link CallModule} node: either the value another node
 * produces ({@link Ref}) or a constant fixed at trace time ({@link Literal}).
 */
public sealed interface Arg permits Arg.Ref, Arg.Literal {

    /** The value produced by node {@code node}. */
    record Ref(String node) implements Arg {
        public Ref {
            Objects.requireNonNull(node, "node");
        }

        @Override
        public String toString() {
            return "%" + node;
        }
    }

    /**
     * A constant: {@code null}, a boxed number, {@code long[]} (reshape dims; copied, treat as
     * read-only), an enum ({@code DType}, {@code Reduction}) or a concrete {@link Tensor} created
     * while tracing (shared, never written).
     */
    record Literal(Object value) implements Arg {
        public Literal {
            if (value instanceof long[] dims) value = dims.clone();
            if (value instanceof Tensor t && t.isSymbolic())
                throw new IllegalArgumentException("a symbolic tensor cannot be a literal: " + t);
        }

        @Override
        public String toString() {
            return switch (value) {
                case null -> "null";
                case long[] dims -> Arrays.toString(dims);
                case Float f -> f + "f";
                case Tensor t -> "const " + t.dtype() + t.shape();
                default -> String.valueOf(value);
            };
        }
    }

    /** The distinct node names {@code args} refer to, in order of first use. */
    static List<String> refs(List<Arg> args) {
        Set<String> names = new LinkedHashSet<>();
        for (Arg arg : args) if (arg instanceof Ref ref) names.add(ref.node());
        return List.copyOf(new ArrayList<>(names));
    }
}
