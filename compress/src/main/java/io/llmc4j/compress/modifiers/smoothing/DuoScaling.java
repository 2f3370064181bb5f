package io.llmc4j.compress.modifiers.smoothing;

/** AWQ's {@code duo_scaling}: scales from activations only, from activations and weights, or a grid over both. */
public enum DuoScaling {
    FALSE, TRUE, BOTH;

    /** The recipe value: true, false or "both" (case as LLM Compressor accepts: lower-case "both"). */
    public static DuoScaling parse(Object value) {
        if (value == null || Boolean.TRUE.equals(value) || "true".equals(value)) return TRUE;
        if (Boolean.FALSE.equals(value) || "false".equals(value)) return FALSE;
        if ("both".equals(value)) return BOTH;
        throw new IllegalArgumentException("duo_scaling must be true, false or \"both\", got " + value);
    }
}
