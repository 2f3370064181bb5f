package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;

/**
 * Microscaling (MXFP4 / MXFP8) shared scales: a power of two per 32 elements, stored as an E8M0 (uint8,
 * bias 127) exponent. Matches compressed-tensors {@code round_to_power_2}, {@code generate_mx_scales}
 * and {@code maybe_convert_from_mx_exp}.
 *
 * <pre>
 *   p2    = round_to_power_2(absmax)        keep sign+exponent, rounding up only when the mantissa is >= 0.75
 *   code  = 127 + floor(log2 p2) - offset   offset = floor(log2 type max): 2 for FP4 (max 6), 8 for FP8 (max 448)
 *   code  = round(clamp(code, 0, 255))      (scale_dtype uint8)
 *   scale = 2^(code - 127)                  an all-zero group gives code 0, i.e. 2^-127
 * </pre>
 *
 * Stateless.
 */
public final class MxScales {
    private MxScales() {
    }

    /** True when {@code args} describe an MX format: float 4/8 bits, group 32, uint8 scales. */
    public static boolean applies(QuantizationArgs args) {
        return args.type() == QuantizationType.FLOAT && (args.numBits() == 4 || args.numBits() == 8)
                && args.groupSize() != null && args.groupSize() == 32 && args.scaleDtype() == DType.U8;
    }

    /** floor(log2(type max)): 2 for FP4, 8 for FP8. */
    public static int elementOffset(int numBits) {
        return switch (numBits) {
            case 4 -> 2;
            case 8 -> 8;
            default -> throw new IllegalArgumentException("MX formats have 4 or 8 bit elements, found " + numBits);
        };
    }

    /**
     * {@code x} (a value of {@code dtype}: F32, BF16 or F16) with its mantissa dropped after adding
     * half of the mantissa's top bit below the FP4 mantissa: values whose mantissa is at least 0.75 go
     * up to the next power of two (1.75 → 2, 1.74999 → 1); subnormals below 0.75·2^-126 become 0.
     */
    public static float roundToPowerOf2(float x, DType dtype) {
        return switch (dtype) {
            case F32 -> Float.intBitsToFloat((Float.floatToRawIntBits(x) + (1 << 21)) & 0xFF800000);
            case BF16 -> {
                int bits = Float.floatToRawIntBits(x) >>> 16;
                yield Float.intBitsToFloat((((bits + (1 << 5)) & 0xFF80) & 0xFFFF) << 16);
            }
            case F16 -> {
                int bits = Float.floatToFloat16(x) & 0xFFFF;
                yield Float.float16ToFloat((short) ((bits + (1 << 8)) & 0xFC00));
            }
            default -> throw new IllegalArgumentException("round_to_power_2 supports F32, BF16 and F16, found " + dtype);
        };
    }

    /**
     * The unclamped exponent code {@code 127 + floor(log2(round_to_power_2(absmax))) − offset}, computed in
     * {@code dtype}; −inf for 0, +inf when the rounding overflows.
     */
    public static float exponentCode(float absmax, int numBits, DType dtype) {
        float p2 = roundToPowerOf2(absmax, dtype);
        float log2;
        if (Float.isNaN(p2)) log2 = p2;
        else if (p2 == 0) log2 = Float.NEGATIVE_INFINITY;
        else if (Float.isInfinite(p2)) log2 = p2 > 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        else if (p2 < 0) log2 = Float.NaN;
        else log2 = Math.getExponent(p2);
        return TorchArithmetic.round(dtype, TorchArithmetic.round(dtype, 127f + log2) - elementOffset(numBits));
    }

    /** The scale {@code 2^(code − 127)} of a stored (already rounded) exponent code, as {@code dtype}. */
    public static float scaleOfCode(float code, DType dtype) {
        int exponent = (int) code - 127;
        return TorchArithmetic.round(dtype, (float) Math.scalb(1.0, exponent));
    }
}
