package io.llmc4j.compress.quantization;

/**
 * The clamp range of quantized values (compressed-tensors {@code calculate_range}): for int,
 * [−2^(b−1), 2^(b−1) − 1]; for FP8 E4M3, [−448, 448]; for FP4 E2M1, [−6, 6].
 *
 * @param min the smallest quantized value
 * @param max the largest quantized value
 */
public record QuantizationRange(float min, float max) {

    /** The range {@code args} quantize into. */
    public static QuantizationRange of(QuantizationArgs args) {
        return switch (args.type()) {
            case INT -> {
                float half = (float) Math.scalb(1.0, args.numBits() - 1);
                yield new QuantizationRange(-half, half - 1);
            }
            case FLOAT -> switch (args.numBits()) {
                case 8 -> new QuantizationRange(-448f, 448f);
                case 4 -> new QuantizationRange(-Fp4E2M1.MAX, Fp4E2M1.MAX);
                default -> throw new QuantizationConfigException("num_bits", "Range calculation only supported for 4 and 8 bits, found " + args.numBits());
            };
        };
    }

    /** {@code max − min} (15 for int4, 896 for FP8), the f32 value the library divides by. */
    public float width() {
        return max - min;
    }
}
