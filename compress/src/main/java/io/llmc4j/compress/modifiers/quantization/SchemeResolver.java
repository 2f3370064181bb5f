package io.llmc4j.compress.modifiers.quantization;

import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationPresets;
import io.llmc4j.compress.quantization.QuantizationScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link QuantizationModifierArgs} into the ordered list of schemes (config groups), as LLM
 * Compressor's {@code QuantizationMixin.resolve_quantization_config} does. Stateless.
 */
public final class SchemeResolver {
    private SchemeResolver() {
    }

    public static List<QuantizationScheme> resolve(QuantizationModifierArgs args) {
        if (args.kvCacheScheme() != null)
            throw new QuantizationConfigException("kv_cache_scheme", "KV-cache quantization is not supported by llmc4j yet; remove kv_cache_scheme");
        boolean hasScheme = args.scheme() != null, hasGroups = args.configGroups() != null && !args.configGroups().isEmpty();
        if (hasScheme && hasGroups)
            throw new QuantizationConfigException("scheme", "set either scheme or config_groups, not both");
        if (!hasScheme && !hasGroups)
            throw new QuantizationConfigException("scheme", "a quantization scheme is required: a preset name (one of "
                    + String.join(", ", QuantizationPresets.names()) + "), {PRESET: [targets]}, or config_groups");
        List<QuantizationScheme> schemes = new ArrayList<>();
        if (hasGroups) {
            for (var group : args.configGroups().entrySet())
                schemes.add(QuantizationScheme.read(group.getValue(), "config_groups." + group.getKey()));
        } else if (args.scheme() instanceof String preset) {
            schemes.add(preset(preset, args.targets()));
        } else if (args.scheme() instanceof Map<?, ?> byPreset) {
            for (var entry : byPreset.entrySet()) schemes.add(preset(String.valueOf(entry.getKey()), targetsOf(entry.getKey(), entry.getValue())));
        } else {
            throw new QuantizationConfigException("scheme", "expected a preset name or a map of preset name to targets, found " + args.scheme());
        }
        return ObserverOverrides.apply(args, schemes);
    }

    /** The config group names in {@link #resolve} order: the recipe's {@code config_groups} keys, else {@code group_<i>}. */
    static List<String> groupNames(QuantizationModifierArgs args, int count) {
        if (args.configGroups() != null && !args.configGroups().isEmpty()) return List.copyOf(args.configGroups().keySet());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) names.add("group_" + i);
        return names;
    }

    private static QuantizationScheme preset(String name, List<String> targets) {
        if (!QuantizationPresets.isPreset(name))
            throw new QuantizationConfigException("scheme", "unknown preset scheme '" + name + "'; presets are " + String.join(", ", QuantizationPresets.names()));
        return QuantizationPresets.scheme(name, targets);
    }

    private static List<String> targetsOf(Object preset, Object raw) {
        if (raw instanceof String s) return List.of(s);
        if (raw instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) return list.stream().map(String.class::cast).toList();
        throw new QuantizationConfigException("scheme." + preset, "expected a list of target names, found " + raw);
    }
}
