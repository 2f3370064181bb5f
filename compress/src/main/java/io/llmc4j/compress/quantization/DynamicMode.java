package io.llmc4j.compress.quantization;

/**
 * When quantization parameters are computed (the recipe's {@code dynamic}: {@code false}, {@code true}
 * or {@code "local"}; compressed-tensors {@code DynamicType}).
 *
 * <ul>
 *   <li>{@link #STATIC}: calibrated once by an observer, then frozen ({@code dynamic: false}).
 *   <li>{@link #DYNAMIC}: recomputed from every tensor at run time ({@code dynamic: true}).
 *   <li>{@link #LOCAL}: local (group) scales are dynamic, the global scale is calibrated; NVFP4
 *       activations only ({@code dynamic: "local"}).
 * </ul>
 */
public enum DynamicMode {
    STATIC,
    DYNAMIC,
    LOCAL;

    /** True when any parameter is computed at run time (DYNAMIC or LOCAL). */
    public boolean isDynamic() {
        return this != STATIC;
    }

    /** The recipe value: {@code false}, {@code true} or {@code "local"}. */
    public Object jsonValue() {
        return switch (this) {
            case STATIC -> Boolean.FALSE;
            case DYNAMIC -> Boolean.TRUE;
            case LOCAL -> "local";
        };
    }
}
