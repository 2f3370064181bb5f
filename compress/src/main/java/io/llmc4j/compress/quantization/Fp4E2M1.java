package io.llmc4j.compress.quantization;

/**
 * FP4 E2M1 (1 sign, 2 exponent, 1 mantissa bit; no inf/NaN): the values 0, 0.5, 1, 1.5, 2, 3, 4, 6 and
 * their negatives. {@link #cast} is compressed-tensors' CPU {@code FP4_E2M1_DATA.cast_to_fp4}: a
 * threshold table on |x| that rounds ties to even (0.25 → 0, 0.75 → 1, 1.25 → 1, 1.75 → 2, 2.5 → 2,
 * 3.5 → 4, 5 → 4) and saturates above 5 to 6, times {@code torch.sign(x)}; so small negatives give
 * −0.0 and ±0 give +0. Codes put the sign in bit 3 and E2M1 magnitude index in bits 0–2 (the layout
 * {@code pack_fp4_to_uint8} uses; −0.0 is code 8). Stateless.
 */
public final class Fp4E2M1 {
    /** Largest magnitude. */
    public static final float MAX = 6f;
    private static final float[] MAGNITUDES = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f};

    private Fp4E2M1() {
    }

    /** {@code x} rounded to the nearest FP4 value as the reference does (see class comment). */
    public static float cast(float x) {
        if (Float.isNaN(x)) return x;
        float sign = x > 0 ? 1f : x < 0 ? -1f : 0f;
        float a = Math.abs(x);
        float m;
        if (a <= 0.25f) m = 0f;
        else if (a < 0.75f) m = 0.5f;
        else if (a <= 1.25f) m = 1f;
        else if (a < 1.75f) m = 1.5f;
        else if (a <= 2.5f) m = 2f;
        else if (a < 3.5f) m = 3f;
        else if (a <= 5f) m = 4f;
        else m = 6f;
        return m * sign;
    }

    /** The 4-bit code of an exact FP4 value ({@code value} must be one of ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}). */
    public static int encode(float value) {
        int sign = (Float.floatToRawIntBits(value) >>> 31) << 3;
        float a = Math.abs(value);
        for (int i = 0; i < MAGNITUDES.length; i++) {
            if (MAGNITUDES[i] == a) return sign | i;
        }
        throw new IllegalArgumentException(value + " is not an FP4 E2M1 value");
    }

    /** The value of a 4-bit code (bit 3 = sign). */
    public static float decode(int code) {
        float m = MAGNITUDES[code & 7];
        return (code & 8) != 0 ? -m : m;
    }
}
