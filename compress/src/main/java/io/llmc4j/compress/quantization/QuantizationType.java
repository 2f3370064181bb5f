package io.llmc4j.compress.quantization;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The value grid quantized numbers live on: integers or a small float format (compressed-tensors {@code QuantizationType}). */
public enum QuantizationType {
    INT("int"),
    FLOAT("float");

    private final String value;

    QuantizationType(String value) {
        this.value = value;
    }

    /** The recipe spelling. */
    public String value() {
        return value;
    }

    /** Parses a recipe value, case-insensitively. */
    public static QuantizationType parse(String text) {
        for (QuantizationType t : values()) {
            if (t.value.equals(text.toLowerCase(Locale.ROOT))) return t;
        }
        throw new QuantizationConfigException("type", "expected one of "
                + Arrays.stream(values()).map(QuantizationType::value).collect(Collectors.joining(", ")) + ", found '" + text + "'");
    }
}
