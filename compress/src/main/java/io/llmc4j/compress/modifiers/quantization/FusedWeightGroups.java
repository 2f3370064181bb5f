package io.llmc4j.compress.modifiers.quantization;

import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Links the weights vLLM fuses into one matrix so that they share one NVFP4 global scale (llm-compressor's
 * {@code fuse_weight_observers}): sibling modules named {@code gate_proj}/{@code up_proj},
 * {@code q_proj}/{@code k_proj}/{@code v_proj}, {@code q_a_proj}/{@code kv_a_proj_with_mqa} or
 * {@code w1}/{@code w3}. Only tensor_group weights are fused; a fused set where some member is tensor_group
 * and another is left unquantized or quantized otherwise is refused before calibration (the library fails
 * on it with an assertion), naming the modules. Stateless.
 */
final class FusedWeightGroups {
    /** The sibling names fused together, as the library lists them. */
    static final List<List<String>> FUSED_NAMES = List.of(
            List.of("gate_proj", "up_proj"),
            List.of("q_proj", "k_proj", "v_proj"),
            List.of("q_a_proj", "kv_a_proj_with_mqa"),
            List.of("w1", "w3"));

    private FusedWeightGroups() {
    }

    /**
     * Sets the fused partners of every tensor_group module of {@code modules}.
     *
     * @param moduleNames every module path of the model
     * @throws QuantizationConfigException when a fused set mixes tensor_group weights with other or no weight quantization
     */
    static void link(Set<String> moduleNames, List<QuantizedModule> modules) {
        Map<String, QuantizedModule> byName = new LinkedHashMap<>();
        for (QuantizedModule m : modules) byName.put(m.name(), m);
        Set<String> parents = new java.util.LinkedHashSet<>();
        for (String name : moduleNames) parents.add(parentOf(name));
        for (String parent : parents) {
            for (List<String> names : FUSED_NAMES) {
                List<String> paths = names.stream().map(n -> parent.isEmpty() ? n : parent + "." + n).toList();
                if (!moduleNames.containsAll(paths)) continue;
                List<QuantizedModule> fused = new ArrayList<>();
                List<String> other = new ArrayList<>();
                for (String path : paths) {
                    QuantizedModule m = byName.get(path);
                    QuantizationArgs weights = m == null ? null : m.args(ObservedRole.WEIGHT);
                    if (weights != null && weights.strategy() == QuantizationStrategy.TENSOR_GROUP) fused.add(m);
                    else other.add(path + (weights == null ? " (weights not quantized)" : " (weights " + weights.strategy().value() + ")"));
                }
                if (fused.isEmpty()) continue;
                if (!other.isEmpty())
                    throw new QuantizationConfigException("ignore", "vLLM fuses " + paths + " into one layer, which needs one shared tensor_group"
                            + " global scale, but " + String.join(", ", other) + " differs from " + fused.getFirst().name()
                            + "; quantize all of them with the same scheme or ignore all of them");
                for (QuantizedModule m : fused) m.fuseWith(fused.stream().filter(p -> p != m).toList());
            }
        }
    }

    private static String parentOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }
}
