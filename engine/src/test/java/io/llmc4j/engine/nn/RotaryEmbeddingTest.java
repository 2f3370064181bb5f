package io.llmc4j.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RotaryEmbeddingTest {

    @Test
    void tableShapeAndPositionZero() {
        RotaryEmbedding rope = new RotaryEmbedding("LlamaRotaryEmbedding", 8, 10000, new RopeScaling.None());
        Tensor table = rope.call(Tensor.allocate(DType.F32, 3, 5, 64));
        assertArrayEquals(new long[] {2, 3, 5, 8}, table.shape().toArray());
        for (int d = 0; d < 8; d++) {
            assertEquals(1f, table.getFloat(0, 1, 0, d));
            assertEquals(0f, table.getFloat(1, 1, 0, d));
        }
        for (int b = 1; b < 3; b++)
            for (int t = 0; t < 5; t++)
                for (int d = 0; d < 8; d++) {
                    assertEquals(table.getFloat(0, 0, t, d), table.getFloat(0, b, t, d));
                    assertEquals(table.getFloat(1, 0, t, d), table.getFloat(1, b, t, d));
                }
        assertEquals("LlamaRotaryEmbedding", rope.typeName());
    }

    @Property(tries = 60)
    void tablesFollowTheDefaultFrequencies(@ForAll @IntRange(min = 1, max = 32) int pairs,
                                           @ForAll @DoubleRange(min = 100, max = 1e6) double theta,
                                           @ForAll @IntRange(min = 1, max = 40) int tokens) {
        int headDim = 2 * pairs;
        Tensor table = new RotaryEmbedding("R", headDim, theta, new RopeScaling.None()).call(Tensor.allocate(DType.F32, 1, tokens, 1));
        for (int t = 0; t < tokens; t++)
            for (int d = 0; d < headDim; d++) {
                double angle = t / Math.pow(theta, 2.0 * (d % pairs) / headDim);
                double tolerance = 1e-6 + 2e-7 * angle;
                double cos = table.getDouble(0, 0, t, d), sin = table.getDouble(1, 0, t, d);
                assertEquals(Math.cos(angle), cos, tolerance, "cos at t " + t + " d " + d);
                assertEquals(Math.sin(angle), sin, tolerance, "sin at t " + t + " d " + d);
                assertEquals(1, cos * cos + sin * sin, 1e-6);
            }
    }

    @Property
    void linearScalingDividesEveryFrequency(@ForAll @DoubleRange(min = -6, max = 1) double log10f,
                                            @ForAll @DoubleRange(min = 1, max = 64) double factor) {
        double f = Math.pow(10, log10f);
        assertEquals(f / factor, new RopeScaling.Linear(factor).apply(new double[] {f})[0], 1e-15 * f);
    }

    @Property
    void llama3ScalingStaysBetweenTheDividedAndTheOriginalFrequency(@ForAll @DoubleRange(min = -6, max = 1) double log10f,
                                                                    @ForAll @DoubleRange(min = 1, max = 64) double factor) {
        double f = Math.pow(10, log10f);
        RopeScaling.Llama3 s = new RopeScaling.Llama3(factor, 1, 4, 8192);
        double out = s.apply(new double[] {f})[0];
        assertTrue(out <= f * (1 + 1e-12) && out >= f / factor * (1 - 1e-12), () -> f + " -> " + out);
        double wavelength = 2 * Math.PI / f;
        if (wavelength < 8192 / 4.0) assertEquals(f, out);
        if (wavelength > 8192) assertEquals(f / factor, out, 1e-15 * f);
    }

    @Property
    void llama3ScalingIsMonotone(@ForAll @DoubleRange(min = -6, max = 1) double log10a, @ForAll @DoubleRange(min = -6, max = 1) double log10b) {
        double a = Math.pow(10, log10a), b = Math.pow(10, log10b);
        RopeScaling.Llama3 s = new RopeScaling.Llama3(8, 1, 4, 8192);
        double[] out = s.apply(new double[] {Math.min(a, b), Math.max(a, b)});
        assertTrue(out[0] <= out[1] * (1 + 1e-12), () -> a + ", " + b + " -> " + out[0] + ", " + out[1]);
    }

    @Test
    void llama3MatchesTheHuggingFaceValuesForLlama32() {
        // Llama-3.2-1B: head_dim 64, theta 500000, factor 32, low 1, high 4, original 8192.
        RotaryEmbedding rope = new RotaryEmbedding("LlamaRotaryEmbedding", 64, 500000, new RopeScaling.Llama3(32, 1, 4, 8192));
        float[] inv = rope.inverseFrequencies();
        double[] plain = RotaryEmbedding.defaultInverseFrequencies(64, 500000);
        assertEquals((float) plain[0], inv[0]);
        assertEquals((float) (plain[31] / 32), inv[31]);
        // index 14: wavelength 2π·500000^(28/64) ≈ 1956 is below 8192/4, so it is kept
        assertEquals((float) plain[14], inv[14]);
        // index 16: wavelength 2π·500000^(1/2) ≈ 4443 lies in the smooth band (2048, 8192)
        double wavelength = 2 * Math.PI / plain[16];
        double smooth = (8192 / wavelength - 1) / 3;
        assertEquals((float) ((1 - smooth) * plain[16] / 32 + smooth * plain[16]), inv[16]);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new RotaryEmbedding("R", 7, 10000, new RopeScaling.None()));
        assertThrows(IllegalArgumentException.class, () -> new RotaryEmbedding("R", 8, 0, new RopeScaling.None()));
        assertThrows(IllegalArgumentException.class, () -> new RopeScaling.Llama3(8, 4, 1, 8192));
        assertThrows(IllegalArgumentException.class, () -> new RopeScaling.Linear(0));
    }
}
