package io.llmc4j.compress.modifiers.smoothing;

import java.util.List;
import java.util.Map;

/**
 * The recipe arguments of {@code AWQModifier} (LLM Compressor's names):
 *
 * <pre>
 *   AWQModifier:
 *     mappings: [{smooth_layer: re:.*input_layernorm$, balance_layers: [re:.*q_proj$, ...]}, ...]  # default: per architecture
 *     ignore: []              # balance layers left alone (a mapping with none left is skipped)
 *     duo_scaling: true       # true, false or "both"
 *     n_grid: 20              # grid points per mapping
 *     offload_device: null    # accepted and ignored: intermediates already live on the CPU
 * </pre>
 *
 * The weight scheme comes from the {@code QuantizationModifier} after AWQ in the recipe, as in LLM
 * Compressor's current API; the deprecated form with {@code targets}/{@code scheme}/{@code
 * config_groups} on AWQModifier itself is rejected with that advice.
 */
public record AWQModifierArgs(List<Object> mappings, List<String> ignore, Object duoScaling, Integer nGrid, Object offloadDevice,
                              List<String> targets, Object scheme, Map<String, Object> configGroups) {
    public static final AWQModifierArgs DEFAULTS = new AWQModifierArgs(null, List.of(), true, 20, null, null, null, null);

    public AWQModifierArgs {
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
        if (nGrid == null) nGrid = 20;
    }
}
