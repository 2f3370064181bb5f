package io.llmc4j.compress.modifiers.smoothing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One recipe mapping: the smooth layer whose outputs are divided by the scales, and the layers that
 * read those outputs (balance layers, their input columns multiplied by the scales). Both are
 * module patterns ({@code re:<regex>} or exact names), resolved per decoder layer by
 * {@link MappingResolver}.
 *
 * @param smoothLayer   pattern of the smooth layer (a norm or a Linear)
 * @param balanceLayers patterns of the balance layers
 */
public record SmoothingMapping(String smoothLayer, List<String> balanceLayers) {
    public SmoothingMapping {
        if (smoothLayer == null || smoothLayer.isEmpty()) throw new IllegalArgumentException("mappings: smooth_layer is missing");
        if (balanceLayers == null || balanceLayers.isEmpty())
            throw new IllegalArgumentException("mappings: balance_layers of '" + smoothLayer + "' is empty");
        balanceLayers = List.copyOf(balanceLayers);
    }

    public static SmoothingMapping of(String smoothLayer, String... balanceLayers) {
        return new SmoothingMapping(smoothLayer, List.of(balanceLayers));
    }

    /**
     * The recipe's {@code mappings}: each entry either AWQ's {@code {smooth_layer: P, balance_layers: [P...]}}
     * or SmoothQuant's {@code [[balance P...], smooth P]}; null means none given.
     *
     * @throws IllegalArgumentException naming {@code mappings[i]} and what was expected
     */
    public static List<SmoothingMapping> parse(List<?> raw) {
        if (raw == null) return null;
        List<SmoothingMapping> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Object entry = raw.get(i);
            try {
                out.add(parseOne(entry));
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new IllegalArgumentException("mappings[" + i + "]: expected {smooth_layer: PATTERN, balance_layers: [PATTERN, ...]} or "
                        + "[[BALANCE_PATTERN, ...], SMOOTH_PATTERN], got " + entry + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
            }
        }
        return List.copyOf(out);
    }

    private static SmoothingMapping parseOne(Object entry) {
        if (entry instanceof Map<?, ?> map) {
            for (Object key : map.keySet())
                if (!"smooth_layer".equals(key) && !"balance_layers".equals(key)) throw new IllegalArgumentException("unknown key '" + key + "'");
            return new SmoothingMapping((String) map.get("smooth_layer"), strings(map.get("balance_layers")));
        }
        if (entry instanceof List<?> pair && pair.size() == 2) return new SmoothingMapping((String) pair.get(1), strings(pair.get(0)));
        throw new IllegalArgumentException("neither a map nor a pair");
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) return List.of(s);
        if (!(value instanceof List<?> list)) throw new IllegalArgumentException("balance_layers must be a list of patterns");
        return list.stream().map(String.class::cast).toList();
    }
}
