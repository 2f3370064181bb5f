package io.llmc4j.compress.quantization;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The args for the weights, input activations and output activations of a set of target modules
 * (compressed-tensors {@code QuantizationScheme}). Validation, as in the library: input activations
 * must use token, tensor, group, tensor_group or attn_head and take no actorder; output activations take
 * no actorder; {@code format} may not be {@code mixed-precision}. Immutable and thread-safe.
 *
 * @param targets module names, class names or {@code re:} patterns, e.g. {@code ["Linear"]}
 * @param weights weight args, or null
 * @param inputActivations input activation args, or null
 * @param outputActivations output activation args, or null
 * @param format compression format name (e.g. {@code pack-quantized}), or null to let the writer choose
 */
public record QuantizationScheme(
        List<String> targets,
        QuantizationArgs weights,
        QuantizationArgs inputActivations,
        QuantizationArgs outputActivations,
        String format) {

    /** The keys a recipe may use. */
    public static final List<String> KEYS = List.of("targets", "weights", "input_activations", "output_activations", "format");
    private static final Set<QuantizationStrategy> INPUT_STRATEGIES = Set.of(QuantizationStrategy.TOKEN, QuantizationStrategy.TENSOR,
            QuantizationStrategy.GROUP, QuantizationStrategy.TENSOR_GROUP, QuantizationStrategy.ATTN_HEAD);

    public QuantizationScheme {
        if (targets == null) throw new QuantizationConfigException("targets", "a list of module targets is required, found none");
        targets = List.copyOf(targets);
        if (inputActivations != null) {
            if (!INPUT_STRATEGIES.contains(inputActivations.strategy()))
                throw new QuantizationConfigException("input_activations.strategy",
                        "Using " + inputActivations.strategy().value() + " strategy is not supported for activation quantization");
            if (inputActivations.actorder() != null)
                throw new QuantizationConfigException("input_activations.actorder", "Cannot apply actorder to input activations");
        }
        if (outputActivations != null && outputActivations.actorder() != null)
            throw new QuantizationConfigException("output_activations.actorder", "Cannot apply actorder to output activations");
        if ("mixed-precision".equals(format))
            throw new QuantizationConfigException("format", "mixed-precision cannot be set as a format for a QuantizationScheme");
    }

    /** Reads a recipe dict; {@code path} prefixes keys in errors (e.g. {@code config_groups.group_0}). */
    public static QuantizationScheme read(Map<String, ?> map, String path) {
        String prefix = path == null || path.isEmpty() ? "" : path + ".";
        for (String key : map.keySet()) {
            if (!KEYS.contains(key))
                throw new QuantizationConfigException(prefix + key, "unknown quantization scheme key; valid keys are " + String.join(", ", KEYS));
        }
        Object rawTargets = map.get("targets");
        List<String> targets = new ArrayList<>();
        if (rawTargets instanceof String s) targets.add(s);
        else if (rawTargets instanceof List<?> list) {
            for (Object t : list) {
                if (!(t instanceof String s)) throw new QuantizationConfigException(prefix + "targets", "expected strings, found " + t);
                targets.add(s);
            }
        } else {
            throw new QuantizationConfigException(prefix + "targets", "expected a list of module targets, found " + rawTargets);
        }
        Object format = map.get("format");
        if (format != null && !(format instanceof String))
            throw new QuantizationConfigException(prefix + "format", "expected a string, found " + format);
        try {
            return new QuantizationScheme(targets, args(map, "weights", prefix), args(map, "input_activations", prefix),
                    args(map, "output_activations", prefix), (String) format);
        } catch (QuantizationConfigException e) {
            if (prefix.isEmpty() || e.key().startsWith(prefix)) throw e;
            throw new QuantizationConfigException(prefix + e.key(), e.getMessage().substring(e.key().length() + 2));
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static QuantizationScheme fromJson(Map<String, Object> map) {
        return read(map, "");
    }

    /** The dict compressed-tensors writes under {@code config_groups}. */
    @JsonValue
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("targets", targets);
        out.put("weights", weights == null ? null : weights.toJson());
        out.put("input_activations", inputActivations == null ? null : inputActivations.toJson());
        out.put("output_activations", outputActivations == null ? null : outputActivations.toJson());
        out.put("format", format);
        return out;
    }

    private static QuantizationArgs args(Map<String, ?> map, String key, String prefix) {
        Object value = map.get(key);
        if (value == null) return null;
        if (value instanceof QuantizationArgs a) return a;
        if (!(value instanceof Map<?, ?> m)) throw new QuantizationConfigException(prefix + key, "expected a mapping of quantization args, found " + value);
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) m;
        return QuantizationArgsReader.read(typed, prefix + key);
    }
}
