package io.llmc4j.engine.ops.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bulk narrowing (F32 → F16, E4M3, E5M2) against the scalar references ({@code Float.floatToFloat16},
 * {@link FloatFormats}) on every rounding boundary of each format, every F16 value, and a million
 * random bit patterns.
 */
class NarrowingBoundaryTest {

    @Test
    void f16MatchesTheJdkAroundEveryValueAndMidpoint() {
        float[] values = BoundaryFloats.around(BoundaryFloats.finiteValues(1 << 15, code -> Float.float16ToFloat((short) code)));
        assertF16MatchesTheJdk(values, "f16 boundary");
    }

    @Test
    void everyF16ValueRoundTripsThroughTheBulkPath() {
        float[] values = new float[1 << 16];
        for (int code = 0; code < values.length; code++) values[code] = Float.float16ToFloat((short) code);
        short[] bulk = narrowF16(values);
        for (int code = 0; code < values.length; code++) {
            short expected = Float.isNaN(values[code]) ? Float.floatToFloat16(values[code]) : (short) code;
            assertEquals(expected, bulk[code], "f16 code 0x" + Integer.toHexString(code) + " widened then narrowed");
        }
    }

    @Test
    void e4m3MatchesFloatFormatsAroundEveryValueAndMidpoint() {
        float[] values = BoundaryFloats.around(BoundaryFloats.finiteValues(128, code -> FloatFormats.e4m3ToFloat((byte) code)));
        assertFp8MatchesFloatFormats(DType.F8_E4M3, values, "e4m3 boundary");
    }

    @Test
    void e5m2MatchesFloatFormatsAroundEveryValueAndMidpoint() {
        float[] values = BoundaryFloats.around(BoundaryFloats.finiteValues(128, code -> FloatFormats.e5m2ToFloat((byte) code)));
        assertFp8MatchesFloatFormats(DType.F8_E5M2, values, "e5m2 boundary");
    }

    @Test
    void everyFp8CodeRoundTripsThroughTheBulkPath() {
        for (DType dtype : new DType[] {DType.F8_E4M3, DType.F8_E5M2}) {
            float[] values = new float[256];
            byte[] codes = new byte[256];
            for (int code = 0; code < 256; code++) codes[code] = (byte) code;
            DTypeConversions.toF32(dtype, MemorySegment.ofArray(codes), 0, values, 0, 256);
            byte[] back = narrowFp8(dtype, values);
            for (int code = 0; code < 256; code++) {
                byte expected = dtype == DType.F8_E4M3 ? FloatFormats.floatToE4M3(values[code]) : FloatFormats.floatToE5M2(values[code]);
                assertEquals(expected, back[code], dtype + " code 0x" + Integer.toHexString(code) + " widened then narrowed");
                if (!Float.isNaN(values[code]) && !Float.isInfinite(values[code])) assertEquals((byte) code, back[code], dtype + " code 0x" + Integer.toHexString(code));
            }
        }
    }

    @Test
    void randomBitPatternsMatchTheScalarReferences() {
        long seed = 20250611L;
        Random random = new Random(seed);
        float[] values = new float[1 << 20];
        for (int i = 0; i < values.length; i++) values[i] = Float.intBitsToFloat(random.nextInt());
        assertF16MatchesTheJdk(values, "random bits, seed " + seed);
        assertFp8MatchesFloatFormats(DType.F8_E4M3, values, "random bits, seed " + seed);
        assertFp8MatchesFloatFormats(DType.F8_E5M2, values, "random bits, seed " + seed);
    }

    private static void assertF16MatchesTheJdk(float[] values, String what) {
        short[] bulk = narrowF16(values);
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            assertEquals(Float.floatToFloat16(values[i]), bulk[i], what + ": f16 of bits 0x" + Integer.toHexString(bits) + " (" + values[i] + ")");
        }
    }

    private static void assertFp8MatchesFloatFormats(DType dtype, float[] values, String what) {
        byte[] bulk = narrowFp8(dtype, values);
        for (int i = 0; i < values.length; i++) {
            byte expected = dtype == DType.F8_E4M3 ? FloatFormats.floatToE4M3(values[i]) : FloatFormats.floatToE5M2(values[i]);
            int bits = Float.floatToRawIntBits(values[i]);
            assertEquals(expected, bulk[i], what + ": " + dtype + " of bits 0x" + Integer.toHexString(bits) + " (" + values[i] + ")");
        }
    }

    private static short[] narrowF16(float[] values) {
        short[] out = new short[values.length];
        DTypeConversions.fromF32(DType.F16, values, 0, MemorySegment.ofArray(out), 0, values.length);
        return out;
    }

    private static byte[] narrowFp8(DType dtype, float[] values) {
        byte[] out = new byte[values.length];
        DTypeConversions.fromF32(dtype, values, 0, MemorySegment.ofArray(out), 0, values.length);
        return out;
    }
}
