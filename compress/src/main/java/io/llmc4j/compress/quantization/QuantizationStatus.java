package io.llmc4j.compress.quantization;

import java.util.Locale;

/**
 * Where a quantized module is in its life (compressed-tensors {@code QuantizationStatus}); the order of
 * the constants is the order of the lifecycle, so {@code compareTo} answers "at least".
 */
public enum QuantizationStatus {
    /** Scheme attached, parameters allocated. */
    INITIALIZED,
    /** Observers are recording ranges. */
    CALIBRATION,
    /** Observers removed, scales and zero points fixed. */
    FROZEN,
    /** Weights stored in their compressed form. */
    COMPRESSED;

    /** The spelling used in {@code quantization_config} ({@code "compressed"}). */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this status is {@code other} or later. */
    public boolean isAtLeast(QuantizationStatus other) {
        return compareTo(other) >= 0;
    }

    public static QuantizationStatus parse(String text) {
        for (QuantizationStatus s : values()) {
            if (s.value().equals(text.toLowerCase(Locale.ROOT))) return s;
        }
        throw new QuantizationConfigException("quantization_status",
                "expected one of initialized, calibration, frozen, compressed, found '" + text + "'");
    }
}
