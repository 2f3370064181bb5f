package io.llmc4j.engine.ops.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link Fp8Widening} on arrays at any offset agrees with {@link FloatFormats} bit for bit, in vector lanes and tails alike. */
class Fp8WideningTest {
    private static final DType[] FP8 = {DType.F8_E4M3, DType.F8_E5M2};

    @Test
    void everyCodeWidensExactlyInEveryLaneAndTheTail() {
        for (DType dtype : FP8) {
            for (int offset = 0; offset <= Widening.LANES; offset++) {
                byte[] codes = new byte[offset + 256 + 5];                   // + 5: the last codes go through the scalar tail
                for (int i = 0; i < 256 + 5; i++) codes[offset + i] = (byte) (i + offset);   // each code lands in every lane over the offsets
                float[] out = new float[2 + 256 + 5];
                Fp8Widening.widen(dtype, codes, offset, out, 2, 256 + 5);
                for (int i = 0; i < 256 + 5; i++) {
                    byte code = codes[offset + i];
                    assertEquals(Float.floatToRawIntBits(widenScalar(dtype, code)), Float.floatToRawIntBits(out[2 + i]), dtype + " code 0x" + Integer.toHexString(code & 0xFF) + " at offset " + offset);
                }
            }
        }
    }

    @Test
    void specialCodesFollowFloatFormats() {
        assertTrue(Float.isNaN(widen(DType.F8_E4M3, (byte) 0xFF)) && Float.floatToRawIntBits(widen(DType.F8_E4M3, (byte) 0xFF)) == 0x7FC0_0000);
        assertEquals(448f, widen(DType.F8_E4M3, (byte) 0x7E));
        assertEquals(-0x1p-9f, widen(DType.F8_E4M3, (byte) 0x81));
        assertEquals(Float.NEGATIVE_INFINITY, widen(DType.F8_E5M2, (byte) 0xFC));
        assertEquals(0x8000_0000, Float.floatToRawIntBits(widen(DType.F8_E5M2, (byte) 0x80)));
        assertEquals(0x7FC0_0000, Float.floatToRawIntBits(widen(DType.F8_E5M2, (byte) 0xFD)));
        assertEquals((byte) 0xFE, narrow(DType.F8_E4M3, Float.NEGATIVE_INFINITY));
        assertEquals((byte) 0x7B, narrow(DType.F8_E5M2, Float.POSITIVE_INFINITY));
        assertEquals((byte) 0xFF, narrow(DType.F8_E5M2, Float.intBitsToFloat(0xFF80_0001)));
        assertEquals((byte) 0x80, narrow(DType.F8_E4M3, -0x1p-11f));                   // below half the smallest subnormal: -0
        assertEquals((byte) 0x08, narrow(DType.F8_E4M3, Math.nextDown(0x1p-6f)));       // rounds up into the smallest normal
    }

    @Property
    void narrowingOfAnyBitsMatchesFloatFormats(@ForAll @Size(max = 80) int[] bits, @ForAll @IntRange(max = 19) int srcAt, @ForAll @IntRange(max = 19) int dstAt) {
        float[] src = new float[srcAt + bits.length];
        for (int i = 0; i < bits.length; i++) src[srcAt + i] = Float.intBitsToFloat(bits[i]);
        for (DType dtype : FP8) {
            byte[] dst = new byte[dstAt + bits.length];
            Fp8Widening.narrow(dtype, src, srcAt, dst, dstAt, bits.length);
            for (int i = 0; i < bits.length; i++)
                assertEquals(narrowScalar(dtype, src[srcAt + i]), dst[dstAt + i], dtype + " of bits 0x" + Integer.toHexString(bits[i]) + " at " + srcAt + " -> " + dstAt);
        }
    }

    @Property
    void narrowingOfFloatsInRangeMatchesFloatFormats(@ForAll @Size(min = 1, max = 80) float[] values, @ForAll @IntRange(min = -30, max = 20) int exponent) {
        for (int i = 0; i < values.length; i++) values[i] = Math.scalb(values[i], exponent);
        for (DType dtype : FP8) {
            byte[] dst = new byte[values.length];
            Fp8Widening.narrow(dtype, values, 0, dst, 0, values.length);
            for (int i = 0; i < values.length; i++) assertEquals(narrowScalar(dtype, values[i]), dst[i], dtype + " of " + values[i]);
        }
    }

    @Test
    void otherDtypesAreRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> Fp8Widening.widen(DType.F16, new byte[1], 0, new float[1], 0, 1));
        assertTrue(e.getMessage().contains("F16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Fp8Widening.narrow(DType.BF16, new float[1], 0, new byte[1], 0, 1));
        assertTrue(e.getMessage().contains("BF16"), e.getMessage());
    }

    private static float widen(DType dtype, byte code) {
        byte[] codes = new byte[Widening.LANES];
        java.util.Arrays.fill(codes, code);                                    // one full vector: the vector path, not the tail
        float[] out = new float[Widening.LANES];
        Fp8Widening.widen(dtype, codes, 0, out, 0, codes.length);
        return out[0];
    }

    private static byte narrow(DType dtype, float value) {
        float[] src = new float[Widening.LANES];
        java.util.Arrays.fill(src, value);                                     // one full vector: the vector path, not the tail
        byte[] out = new byte[Widening.LANES];
        Fp8Widening.narrow(dtype, src, 0, out, 0, src.length);
        return out[0];
    }

    private static float widenScalar(DType dtype, byte code) {
        return dtype == DType.F8_E4M3 ? FloatFormats.e4m3ToFloat(code) : FloatFormats.e5m2ToFloat(code);
    }

    private static byte narrowScalar(DType dtype, float value) {
        return dtype == DType.F8_E4M3 ? FloatFormats.floatToE4M3(value) : FloatFormats.floatToE5M2(value);
    }
}
