package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.FloatFormats;

/**
 * Rounding of a clamped value onto the quantized grid (compressed-tensors
 * {@code round_to_quantized_type_args}, after its clamp): int uses {@code torch.round} (half to even, so
 * −0.3 → −0.0 and 2.5 → 2); FP8 uses an RNE cast to E4M3; FP4 uses {@link Fp4E2M1#cast}. Every result
 * is exactly representable in F32, BF16 and F16. Stateless.
 */
public enum QuantizedGrid {
    INTEGER,
    FP8_E4M3,
    FP4_E2M1;

    /** The grid of {@code args}. */
    public static QuantizedGrid of(QuantizationArgs args) {
        if (args.type() == QuantizationType.INT) return INTEGER;
        return args.numBits() == 8 ? FP8_E4M3 : FP4_E2M1;
    }

    /** {@code value} rounded onto this grid. */
    public float round(float value) {
        return switch (this) {
            case INTEGER -> (float) Math.rint(value);
            case FP8_E4M3 -> FloatFormats.roundToE4M3(value);
            case FP4_E2M1 -> Fp4E2M1.cast(value);
        };
    }
}
