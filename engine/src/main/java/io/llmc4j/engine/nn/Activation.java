package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The MLP activations supported, by their Hugging Face {@code hidden_act} names. */
public enum Activation {
    /** x·sigmoid(x); Hugging Face "silu" or "swish". */
    SILU(List.of("silu", "swish")),
    /** GELU, tanh approximation; Hugging Face "gelu_pytorch_tanh" or "gelu_new". */
    GELU_TANH(List.of("gelu_pytorch_tanh", "gelu_new"));

    private final List<String> names;

    Activation(List<String> names) {
        this.names = names;
    }

    /** The canonical Hugging Face name. */
    public String huggingFaceName() {
        return names.getFirst();
    }

    Tensor apply(Ops ops, Tensor x) {
        return switch (this) {
            case SILU -> ops.silu(x);
            case GELU_TANH -> ops.gelu(x);
        };
    }

    /**
     * The activation called {@code name} in a Hugging Face config.
     *
     * @throws IllegalArgumentException listing the supported names
     */
    public static Activation fromHuggingFace(String name) {
        for (Activation a : values()) if (a.names.contains(name)) return a;
        throw new IllegalArgumentException("unsupported activation '" + name + "', expected one of "
                + Arrays.stream(values()).flatMap(a -> a.names.stream()).collect(Collectors.joining(", ")));
    }
}
