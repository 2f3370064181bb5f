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
    GELU_TANH(List.of("gelu_pytorch_tanh", "gelu_new")),
    /**
     * gpt-oss's expert activation, which transforms up as well: (clamp(up, ±7) + 1) · g·sigmoid(1.702·g)
     * with g = min(gate, 7). Not a {@code hidden_act} value: the gpt-oss architecture chooses it.
     */
    CLAMPED_SWIGLU(List.of());

    private final List<String> names;

    Activation(List<String> names) {
        this.names = names;
    }

    /** gpt-oss's alpha and limit. */
    private static final float SWIGLU_ALPHA = 1.702f, SWIGLU_LIMIT = 7f;

    /** The canonical Hugging Face name ("gpt_oss_swiglu" for {@link #CLAMPED_SWIGLU}, which has none). */
    public String huggingFaceName() {
        return names.isEmpty() ? "gpt_oss_swiglu" : names.getFirst();
    }

    /** The gated product an MLP feeds to its down projection: act(gate) · up. */
    Tensor gate(Ops ops, Tensor gate, Tensor up) {
        return switch (this) {
            case SILU -> ops.mul(ops.silu(gate), up);
            case GELU_TANH -> ops.mul(ops.gelu(gate), up);
            case CLAMPED_SWIGLU -> ops.clampedSwiglu(gate, up, SWIGLU_ALPHA, SWIGLU_LIMIT);
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
