package io.llmc4j.compress.recipe;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The modifier types and argument names LLM Compressor (commit ab1ba3e) defines, so that a recipe
 * modifier or key the reference accepts but llmc4j does not have is reported as "not supported by llmc4j
 * yet" rather than as a misspelling of something else. Only names are listed; their meaning is the
 * modifiers' own. Stateless.
 */
final class ReferenceKeys {
    /** {@code Modifier}'s own fields (the schedule keys are bound by the parser itself). */
    private static final List<String> MODIFIER = List.of("index", "group", "start", "end", "update", "requires_calibration_data");
    /** {@code QuantizationMixin}'s fields. */
    private static final List<String> QUANTIZATION_MIXIN = List.of("config_groups", "targets", "ignore", "scheme", "kv_cache_scheme",
            "weight_observer", "input_observer", "output_observer", "observer", "bypass_divisibility_checks");
    private static final Map<String, Set<String>> BY_TYPE = Map.of(
            "QuantizationModifier", keys(QUANTIZATION_MIXIN),
            "GPTQModifier", keys(QUANTIZATION_MIXIN, List.of("block_size", "dampening_frac", "actorder", "offload_hessians")),
            "SmoothQuantModifier", keys(List.of("smoothing_strength", "mappings", "ignore", "num_calibration_steps", "calibration_function", "algorithm")),
            "AWQModifier", keys(List.of("mappings", "offload_device", "duo_scaling", "n_grid")));

    /** LLM Compressor's modifier classes. */
    private static final Set<String> TYPES = Set.of("AWQModifier", "AutoRoundModifier", "ConstantPruningModifier", "GPTQModifier",
            "LogarithmicEqualizationModifier", "MagnitudePruningModifier", "QuIPModifier", "QuantizationModifier", "REAPPruningModifier",
            "SmoothQuantModifier", "SparseGPTModifier", "SpinQuantModifier", "WandaPruningModifier");

    private ReferenceKeys() {
    }

    /** True when LLM Compressor's modifier {@code typeName} defines the argument {@code key}. */
    static boolean defines(String typeName, String key) {
        Set<String> keys = BY_TYPE.get(typeName);
        return keys != null && keys.contains(key);
    }

    /** True when LLM Compressor defines a modifier named {@code typeName}. */
    static boolean definesType(String typeName) {
        return TYPES.contains(typeName);
    }

    @SafeVarargs
    private static Set<String> keys(List<String>... lists) {
        return Stream.concat(MODIFIER.stream(), Stream.of(lists).flatMap(List::stream)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
