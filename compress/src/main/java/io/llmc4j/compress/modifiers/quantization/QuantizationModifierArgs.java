package io.llmc4j.compress.modifiers.quantization;

import java.util.List;
import java.util.Map;

/**
 * The recipe arguments of {@code QuantizationModifier} (LLM Compressor's names):
 *
 * <pre>
 *   QuantizationModifier:
 *     targets: [Linear]          # module class names, exact names or re: patterns (with a preset scheme)
 *     ignore: [lm_head]          # modules never quantized
 *     scheme: W8A8               # a preset name, or {PRESET: [targets...]}
 *     config_groups:             # or explicit schemes (instead of scheme)
 *       group_0: {targets: [Linear], weights: {num_bits: 4, ...}, input_activations: ...}
 *     kv_cache_scheme: null      # KV-cache quantization (not supported yet: rejected when set)
 *     weight_observer: mse       # observer overrides for every group's weights / inputs / outputs,
 *     input_observer: null       #   or all at once: observer: {weights: mse, input: minmax, output: ...}
 *     output_observer: null
 *     bypass_divisibility_checks: false   # allow group sizes that do not divide a Linear's columns
 * </pre>
 *
 * @param scheme a preset name (String) or a map of preset name to targets
 * @param configGroups explicit schemes by group name, each in compressed-tensors' scheme layout
 * @param observer observer names by role ({@code weights}, {@code input}, {@code output})
 */
public record QuantizationModifierArgs(
        List<String> targets,
        List<String> ignore,
        Object scheme,
        Map<String, Map<String, Object>> configGroups,
        Map<String, Object> kvCacheScheme,
        String weightObserver,
        String inputObserver,
        String outputObserver,
        Map<String, String> observer,
        boolean bypassDivisibilityChecks) {

    public static final QuantizationModifierArgs DEFAULTS = preset(null, List.of("Linear"), List.of());

    public QuantizationModifierArgs {
        targets = targets == null ? List.of("Linear") : List.copyOf(targets);
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
    }

    /** Arguments for a preset scheme on {@code targets}, minus {@code ignore}. */
    public static QuantizationModifierArgs preset(String scheme, List<String> targets, List<String> ignore) {
        return new QuantizationModifierArgs(targets, ignore, scheme, null, null, null, null, null, null, false);
    }
}
