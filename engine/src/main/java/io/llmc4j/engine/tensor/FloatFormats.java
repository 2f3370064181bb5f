package io.llmc4j.engine.tensor;

/**
 * Scalar conversions between float32 and the narrow float formats (bf16, f16, FP8 E4M3FN, FP8 E5M2).
 *
 * <p>Narrowing rounds to nearest, ties to even, as torch's {@code .to(dtype)} does. FP8 narrowing
 * saturates: finite values beyond the largest representable magnitude (448 for E4M3FN, 57344 for
 * E5M2), and infinities, become that magnitude with their sign. NaN stays NaN.
 *
 * <p>Vectorized bulk versions live in {@code engine.ops}; these are the reference and the per-element
 * path.
 */
public final class FloatFormats {
    /** Largest finite FP8 E4M3FN value. */
    public static final float E4M3_MAX = 448f;
    /** Largest finite FP8 E5M2 value. */
    public static final float E5M2_MAX = 57344f;

    private static final float[] E4M3_TO_FLOAT = new float[256];
    private static final float[] E5M2_TO_FLOAT = new float[256];

    static {
        for (int code = 0; code < 256; code++) {
            E4M3_TO_FLOAT[code] = decodeMinifloat(code, 3, 7, true);
            E5M2_TO_FLOAT[code] = decodeMinifloat(code, 2, 15, false);
        }
    }

    private FloatFormats() {
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** float32 to bfloat16 bits, round to nearest even; NaN stays a quiet NaN. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) return (short) ((bits >>> 16) | 0x40);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }

    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }

    public static float e4m3ToFloat(byte code) {
        return E4M3_TO_FLOAT[code & 0xFF];
    }

    public static float e5m2ToFloat(byte code) {
        return E5M2_TO_FLOAT[code & 0xFF];
    }

    /** float32 to FP8 E4M3FN (bias 7, no infinities, NaN = S.1111.111), RNE with saturation at ±448. */
    public static byte floatToE4M3(float value) {
        return narrow(value, 3, 7, E4M3_MAX, 0x7E, 0x7F);
    }

    /** float32 to FP8 E5M2 (bias 15, IEEE-like), RNE with saturation at ±57344. */
    public static byte floatToE5M2(float value) {
        return narrow(value, 2, 15, E5M2_MAX, 0x7B, 0x7F);
    }

    /** Rounds {@code value} to the nearest E4M3FN value (RNE, saturating) and returns it as a float. */
    public static float roundToE4M3(float value) {
        return e4m3ToFloat(floatToE4M3(value));
    }

    private static byte narrow(float value, int mantissaBits, int bias, float max, int maxCode, int nanCode) {
        int sign = (Float.floatToRawIntBits(value) >>> 24) & 0x80;
        if (Float.isNaN(value)) return (byte) (sign | nanCode);
        float magnitude = Math.abs(value);
        if (magnitude >= max) return (byte) (sign | maxCode);
        int minExponent = 1 - bias;
        int exponent = Math.max(Math.getExponent(magnitude), minExponent);
        // Count of quanta of size 2^(exponent - mantissaBits); the division by a power of two is exact.
        int quanta = (int) Math.rint(magnitude / Math.scalb(1f, exponent - mantissaBits));
        // Normal codes are ((e + bias) << m) + (quanta - 2^m); the same formula gives subnormals at the
        // minimum exponent and carries into the next binade when rounding reaches 2^(m+1) quanta.
        int code = ((exponent + bias) << mantissaBits) + quanta - (1 << mantissaBits);
        return (byte) (sign | Math.min(code, maxCode));
    }

    private static float decodeMinifloat(int code, int mantissaBits, int bias, boolean finiteOnly) {
        int sign = (code & 0x80) != 0 ? -1 : 1;
        int exponentField = (code & 0x7F) >>> mantissaBits;
        int mantissa = code & ((1 << mantissaBits) - 1);
        int maxExponentField = (1 << (7 - mantissaBits)) - 1;
        if (finiteOnly) {
            if (exponentField == maxExponentField && mantissa == (1 << mantissaBits) - 1) return Float.NaN;
        } else if (exponentField == maxExponentField) {
            return mantissa == 0 ? sign * Float.POSITIVE_INFINITY : Float.NaN;
        }
        if (exponentField == 0) return sign * Math.scalb((float) mantissa, 1 - bias - mantissaBits);
        return sign * Math.scalb((float) ((1 << mantissaBits) + mantissa), exponentField - bias - mantissaBits);
    }
}
