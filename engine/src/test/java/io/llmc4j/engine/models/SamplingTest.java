package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.DType;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SamplingTest {
    private static final ModelConfig CONFIG = SyntheticModels.preset(SyntheticModels.TINY);
    private static final CausalLM MODEL = ModelTesting.build(CONFIG, SyntheticModels.generate(CONFIG, 21, DType.F32));

    /** Empirical frequencies of 40 000 draws against softmax(logits / T) in double; 5 standard errors. */
    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.0, 2.0})
    void drawsFollowTheTemperedSoftmax(double temperature) {
        float[] logits = {1.5f, -0.5f, 0f, 2.25f, -3f, 0.75f, Float.NEGATIVE_INFINITY};
        double[] p = new double[logits.length];
        double max = 2.25, sum = 0;
        for (int v = 0; v < logits.length; v++) sum += p[v] = Math.exp((logits[v] - max) / temperature);
        for (int v = 0; v < logits.length; v++) p[v] /= sum;
        long seed = 1234;
        SplittableRandom random = new SplittableRandom(seed);
        int draws = 40_000;
        int[] counts = new int[logits.length];
        for (int i = 0; i < draws; i++) counts[Sampling.drawToken(logits, temperature, random)]++;
        assertEquals(0, counts[6], "an id of probability 0 is never drawn");
        for (int v = 0; v < logits.length; v++) {
            double expected = p[v] * draws, sigma = Math.sqrt(draws * p[v] * (1 - p[v]));
            int id = v;
            assertTrue(Math.abs(counts[v] - expected) <= 5 * sigma + 1,
                    () -> "id " + id + ": " + counts[id] + " draws, expected " + expected + " (seed " + seed + ", T " + temperature + ")");
        }
    }

    @Test
    void theSameSeedGivesTheSameTokensAndAnotherSeedOthers() {
        long[] prompt = {1, 17};
        long[] a = Sampling.sample(MODEL, prompt, 6, 1.0, 5, Set.of());
        long[] b = Sampling.sample(MODEL, prompt, 6, 1.0, 5, Set.of());
        long[] c = Sampling.sample(MODEL, prompt, 6, 1.0, 6, Set.of());
        assertArrayEquals(a, b);
        assertEquals(8, a.length);
        assertArrayEquals(prompt, Arrays.copyOf(a, 2));
        assertFalse(Arrays.equals(a, c), "seeds 5 and 6 gave the same 6 tokens");
    }

    @Test
    void temperatureZeroIsGreedy() {
        long[] greedy = Generation.greedy(MODEL, new long[] {1}, 5);
        assertArrayEquals(greedy, Sampling.sample(MODEL, new long[] {1}, 5, 0, 99, Set.of()));
        long[][] rows = Sampling.sampleRows(MODEL, new long[] {1}, 3, 5, 0, 99);
        for (long[] row : rows) assertArrayEquals(greedy, row);
    }

    @Test
    void samplingStopsAfterAStopToken() {
        long[] free = Sampling.sample(MODEL, new long[] {1}, 6, 1.0, 3, Set.of());
        long stop = free[4];
        long[] stopped = Sampling.sample(MODEL, new long[] {1}, 6, 1.0, 3, Set.of(stop));
        int first = 1;
        while (free[first] != stop) first++;
        assertArrayEquals(Arrays.copyOf(free, first + 1), stopped);
    }

    @Test
    void rowsAreDeterministicAndDiffer() {
        long[][] a = Sampling.sampleRows(MODEL, new long[] {1}, 4, 6, 1.0, 8);
        long[][] b = Sampling.sampleRows(MODEL, new long[] {1}, 4, 6, 1.0, 8);
        assertTrue(Arrays.deepEquals(a, b));
        for (long[] row : a) assertEquals(7, row.length);
        assertFalse(Arrays.equals(a[0], a[1]) && Arrays.equals(a[1], a[2]) && Arrays.equals(a[2], a[3]));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Sampling.sample(MODEL, new long[0], 1, 1, 1, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> Sampling.sample(MODEL, new long[] {1}, 1, -1, 1, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> Sampling.sample(MODEL, new long[] {1}, 1, Double.NaN, 1, Set.of()));
        assertThrows(IllegalStateException.class, () -> Sampling.drawToken(new float[] {0, Float.NaN}, 1, new SplittableRandom(1)));
    }
}
