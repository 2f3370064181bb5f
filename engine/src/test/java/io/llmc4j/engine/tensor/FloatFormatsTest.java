package io.llmc4j.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

class FloatFormatsTest {

    @Test
    void e4m3MatchesTorchCastTable() {
        // Values from compressed-tensors' fp8 cast table (shared/golden/README.md, rule 4).
        assertEquals(1.0f, FloatFormats.roundToE4M3(1.0625f));
        assertEquals(1.25f, FloatFormats.roundToE4M3(1.1875f));
        assertEquals(224f, FloatFormats.roundToE4M3(232f));
        assertEquals(256f, FloatFormats.roundToE4M3(248f));
        assertEquals(0f, FloatFormats.roundToE4M3(0x1p-10f));
        assertEquals(448f, FloatFormats.roundToE4M3(449f));
        assertEquals(448f, FloatFormats.roundToE4M3(1e4f));
        assertEquals(-448f, FloatFormats.roundToE4M3(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(FloatFormats.roundToE4M3(Float.NaN)));
        assertEquals(0x1p-9f, FloatFormats.roundToE4M3(0x1p-9f));
    }

    @Test
    void everyE4M3CodeRoundTrips() {
        for (int code = 0; code < 256; code++) {
            float value = FloatFormats.e4m3ToFloat((byte) code);
            if (Float.isNaN(value)) continue;
            assertEquals((byte) code, FloatFormats.floatToE4M3(value), "code " + code + " value " + value);
        }
    }

    @Test
    void everyE5M2FiniteCodeRoundTrips() {
        for (int code = 0; code < 256; code++) {
            float value = FloatFormats.e5m2ToFloat((byte) code);
            if (!Float.isFinite(value)) continue;
            assertEquals((byte) code, FloatFormats.floatToE5M2(value), "code " + code + " value " + value);
        }
    }

    @Property
    void e4m3CastIsMonotone(@ForAll @FloatRange(min = -500, max = 500) float a, @ForAll @FloatRange(min = -500, max = 500) float b) {
        float lo = Math.min(a, b), hi = Math.max(a, b);
        assertTrue(FloatFormats.roundToE4M3(lo) <= FloatFormats.roundToE4M3(hi), () -> lo + " vs " + hi);
    }

    @Property
    void bf16RoundTripIsWithinHalfAnUlp(@ForAll @FloatRange(min = -1e30f, max = 1e30f) float x) {
        float back = FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(x));
        assertTrue(Math.abs(back - x) <= Math.ulp(x) * 65536 / 2 + Float.MIN_NORMAL, () -> x + " -> " + back);
    }
}
