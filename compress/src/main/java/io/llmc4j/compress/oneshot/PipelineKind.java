package io.llmc4j.compress.oneshot;

import java.util.Locale;

/** Which calibration pipeline {@link Oneshot} runs. */
public enum PipelineKind {
    /** Sequential when a modifier needs calibration data, data-free otherwise (LLM Compressor's inferred pipeline). */
    AUTO,
    /** One subgraph per sequential target, propagating compressed activations. */
    SEQUENTIAL,
    /** The whole model at once, one pass with hooks on. */
    BASIC,
    /** No data: only the calibration start/end callbacks (weight-only schemes). */
    DATAFREE;

    public static PipelineKind parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace("-", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown pipeline '" + name + "', expected one of auto, sequential, basic, datafree");
        }
    }
}
