package io.llmc4j.compress.modifiers.smoothing;

import java.util.List;

/**
 * The recipe arguments of {@code SmoothQuantModifier} (LLM Compressor's names):
 *
 * <pre>
 *   SmoothQuantModifier:
 *     smoothing_strength: 0.5          # α in [0, 1]
 *     mappings: [[[re:.*q_proj, re:.*k_proj, re:.*v_proj], re:.*input_layernorm], ...]   # default: per architecture
 *     ignore: []                       # balance layers left alone (a mapping with none left is skipped)
 *     num_calibration_steps: null      # batches observed per smooth layer (null: all)
 *     algorithm: smoothquant           # or log_equalization
 * </pre>
 */
public record SmoothQuantModifierArgs(Double smoothingStrength, List<Object> mappings, List<String> ignore,
                                      Integer numCalibrationSteps, String algorithm) {
    public static final SmoothQuantModifierArgs DEFAULTS = new SmoothQuantModifierArgs(0.5, null, List.of(), null, "smoothquant");

    public SmoothQuantModifierArgs {
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
        if (algorithm == null) algorithm = "smoothquant";
    }
}
