package io.llmc4j.compress.quantization;

import java.util.Locale;

/**
 * GPTQ activation ordering (compressed-tensors {@code ActivationOrdering}). {@code GROUP} permutes columns
 * and stores a {@code g_idx}; {@code WEIGHT} permutes only during calibration. The recipe aliases
 * {@code dynamic} (= group) and {@code static} (= weight) are accepted; {@code true} means group.
 */
public enum ActivationOrdering {
    GROUP("group"),
    WEIGHT("weight");

    private final String value;

    ActivationOrdering(String value) {
        this.value = value;
    }

    /** The canonical recipe spelling. */
    public String value() {
        return value;
    }

    /** Parses {@code group}, {@code weight} or an alias ({@code dynamic}, {@code static}), case-insensitively. */
    public static ActivationOrdering parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "group", "dynamic" -> GROUP;
            case "weight", "static" -> WEIGHT;
            default -> throw new QuantizationConfigException("actorder",
                    "expected one of group, weight, dynamic (alias of group), static (alias of weight), true, false or null, found '" + text + "'");
        };
    }
}
