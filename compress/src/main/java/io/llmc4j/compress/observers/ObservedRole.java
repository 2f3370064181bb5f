package io.llmc4j.compress.observers;

import java.util.Locale;

/**
 * What an observer watches (llm-compressor's {@code base_name}): a weight, a module's input or output
 * activation, or an attention state. It fixes how values are flattened for calibration.
 */
public enum ObservedRole {
    /** A weight, {@code [out, in]}. */
    WEIGHT("weight"),
    /** A module input, {@code [batch, tokens, hidden]}. */
    INPUT("input"),
    /** A module output, {@code [batch, tokens, hidden]}. */
    OUTPUT("output"),
    /** Attention queries, {@code [batch, heads, tokens, head_dim]}. */
    Q("q"),
    /** Attention keys, {@code [batch, heads, tokens, head_dim]}. */
    K("k"),
    /** Attention values, {@code [batch, heads, tokens, head_dim]}. */
    V("v");

    private final String baseName;

    ObservedRole(String baseName) {
        this.baseName = baseName;
    }

    /** The library's name, used as the prefix of parameter names ({@code weight_scale}, {@code input_scale}). */
    public String baseName() {
        return baseName;
    }

    public boolean isActivation() {
        return this == INPUT || this == OUTPUT;
    }

    public boolean isAttention() {
        return this == Q || this == K || this == V;
    }

    public static ObservedRole parse(String baseName) {
        for (ObservedRole r : values()) {
            if (r.baseName.equals(baseName.toLowerCase(Locale.ROOT))) return r;
        }
        throw new IllegalArgumentException("Unknown quantization base name '" + baseName + "', expected weight, input, output, q, k or v");
    }
}
