package io.llmc4j.engine.ops.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import java.lang.foreign.MemorySegment;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The bulk (vector) conversions agree with {@link FloatFormats} / the JDK element by element, bit for bit. */
class DTypeConversionsProperties {

    @Property
    void bf16NarrowingMatchesFloatFormats(@ForAll @Size(max = 70) int[] bits) {
        float[] values = floats(bits);
        short[] bulk = new short[values.length];
        DTypeConversions.fromF32(DType.BF16, values, 0, MemorySegment.ofArray(bulk), 0, values.length);
        for (int i = 0; i < values.length; i++)
            assertEquals(FloatFormats.floatToBf16(values[i]), bulk[i], "bf16 of bits 0x" + Integer.toHexString(bits[i]));
    }

    @Property
    void bf16RoundTripMatchesFloatFormats(@ForAll @Size(max = 70) int[] bits) {
        float[] values = floats(bits), back = new float[values.length];
        MemorySegment narrow = MemorySegment.ofArray(new short[values.length]);
        DTypeConversions.fromF32(DType.BF16, values, 0, narrow, 0, values.length);
        DTypeConversions.toF32(DType.BF16, narrow, 0, back, 0, back.length);
        for (int i = 0; i < values.length; i++) {
            float expected = FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(values[i]));
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(back[i]), "round trip of bits 0x" + Integer.toHexString(bits[i]));
        }
    }

    @Property
    void f16NarrowingMatchesTheJdk(@ForAll @Size(max = 70) int[] bits) {
        float[] values = floats(bits);
        short[] bulk = new short[values.length];
        DTypeConversions.fromF32(DType.F16, values, 0, MemorySegment.ofArray(bulk), 0, values.length);
        for (int i = 0; i < values.length; i++)
            assertEquals(Float.floatToFloat16(values[i]), bulk[i], "f16 of bits 0x" + Integer.toHexString(bits[i]));
    }

    @Property
    void fp8NarrowingMatchesFloatFormats(@ForAll @Size(max = 40) float[] values, @ForAll @IntRange(min = -24, max = 17) int exponent) {
        for (int i = 0; i < values.length; i++) values[i] = Math.scalb(values[i], exponent);
        byte[] e4m3 = new byte[values.length], e5m2 = new byte[values.length];
        DTypeConversions.fromF32(DType.F8_E4M3, values, 0, MemorySegment.ofArray(e4m3), 0, values.length);
        DTypeConversions.fromF32(DType.F8_E5M2, values, 0, MemorySegment.ofArray(e5m2), 0, values.length);
        for (int i = 0; i < values.length; i++) {
            assertEquals(FloatFormats.floatToE4M3(values[i]), e4m3[i], "e4m3 of " + values[i]);
            assertEquals(FloatFormats.floatToE5M2(values[i]), e5m2[i], "e5m2 of " + values[i]);
        }
    }

    @Property
    void fp8NarrowingOfAnyBitsMatchesFloatFormats(@ForAll @Size(max = 70) int[] bits) {
        float[] values = floats(bits);
        byte[] e4m3 = new byte[values.length], e5m2 = new byte[values.length];
        DTypeConversions.fromF32(DType.F8_E4M3, values, 0, MemorySegment.ofArray(e4m3), 0, values.length);
        DTypeConversions.fromF32(DType.F8_E5M2, values, 0, MemorySegment.ofArray(e5m2), 0, values.length);
        for (int i = 0; i < values.length; i++) {
            assertEquals(FloatFormats.floatToE4M3(values[i]), e4m3[i], "e4m3 of bits 0x" + Integer.toHexString(bits[i]));
            assertEquals(FloatFormats.floatToE5M2(values[i]), e5m2[i], "e5m2 of bits 0x" + Integer.toHexString(bits[i]));
        }
    }

    @Test
    void everyBf16AndF16CodeWidensExactly() {
        short[] codes = new short[65536 + 5];                     // + 5: the last codes also go through the scalar tail
        for (int i = 0; i < codes.length; i++) codes[i] = (short) i;
        float[] bf16 = new float[codes.length], f16 = new float[codes.length];
        DTypeConversions.toF32(DType.BF16, MemorySegment.ofArray(codes), 0, bf16, 0, codes.length);
        DTypeConversions.toF32(DType.F16, MemorySegment.ofArray(codes), 0, f16, 0, codes.length);
        for (int i = 0; i < codes.length; i++) {
            assertEquals(Float.floatToRawIntBits(FloatFormats.bf16ToFloat(codes[i])), Float.floatToRawIntBits(bf16[i]), "bf16 code " + i);
            float expected = Float.float16ToFloat(codes[i]);
            if (Float.isNaN(expected)) {
                // Float.float16ToFloat quiets signaling NaNs when JIT-compiled (vcvtph2ps) but not when
                // interpreted; only NaN-ness and the sign are stable.
                assertTrue(Float.isNaN(f16[i]) && (Float.floatToRawIntBits(f16[i]) < 0) == (codes[i] < 0), "f16 NaN code " + i);
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(f16[i]), "f16 code " + i);
            }
        }
    }

    @Test
    void everyFp8CodeWidensExactly() {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) codes[i] = (byte) i;
        float[] e4m3 = new float[256], e5m2 = new float[256];
        DTypeConversions.toF32(DType.F8_E4M3, MemorySegment.ofArray(codes), 0, e4m3, 0, 256);
        DTypeConversions.toF32(DType.F8_E5M2, MemorySegment.ofArray(codes), 0, e5m2, 0, 256);
        for (int i = 0; i < 256; i++) {
            assertEquals(Float.floatToRawIntBits(FloatFormats.e4m3ToFloat(codes[i])), Float.floatToRawIntBits(e4m3[i]), "e4m3 code " + i);
            assertEquals(Float.floatToRawIntBits(FloatFormats.e5m2ToFloat(codes[i])), Float.floatToRawIntBits(e5m2[i]), "e5m2 code " + i);
        }
    }

    private static float[] floats(int[] bits) {
        float[] values = new float[bits.length];
        for (int i = 0; i < bits.length; i++) values[i] = Float.intBitsToFloat(bits[i]);
        return values;
    }
}
