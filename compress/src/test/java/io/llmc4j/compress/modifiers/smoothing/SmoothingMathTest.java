package io.llmc4j.compress.modifiers.smoothing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The smoothing arithmetic against plain matrix products written here. */
class SmoothingMathTest {

    /** y = x·Wᵀ for x [tokens, in], W [out, in]. */
    private static float[] matmul(float[] x, int tokens, float[] w, int out, int in) {
        float[] y = new float[tokens * out];
        for (int t = 0; t < tokens; t++)
            for (int o = 0; o < out; o++) {
                double sum = 0;
                for (int i = 0; i < in; i++) sum += (double) x[t * in + i] * w[o * in + i];
                y[t * out + o] = (float) sum;
            }
        return y;
    }

    private static float[] random(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * scale);
        return v;
    }

    private static float[] positive(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) Math.exp(r.nextGaussian());
        return v;
    }

    private static void assertClose(float[] expected, float[] actual, double relative) {
        double worst = 0, largest = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            largest = Math.max(largest, Math.abs(expected[i]));
        }
        assertTrue(worst <= relative * largest, "max error " + worst + " vs max " + largest);
    }

    @Property(tries = 50)
    void aNormFoldedIntoItsBalanceLayerKeepsTheProduct(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int in,
                                                      @ForAll @IntRange(min = 1, max = 9) int out, @ForAll boolean unitOffset) {
        Random r = new Random(seed);
        int tokens = 5;
        float[] normalized = random(r, tokens * in, 1), g = random(r, in, 1), w = random(r, out * in, 1), s = positive(r, in);
        float[] scaled = new float[tokens * in], scaledAfter = new float[tokens * in];
        float[] gAfter = unitOffset ? SmoothingMath.divideOffsetNorm(g, s) : SmoothingMath.divideLast(g, s);
        for (int t = 0; t < tokens; t++)
            for (int i = 0; i < in; i++) {
                float n = normalized[t * in + i];
                scaled[t * in + i] = unitOffset ? n * (1 + g[i]) : n * g[i];
                scaledAfter[t * in + i] = unitOffset ? n * (1 + gAfter[i]) : n * gAfter[i];
            }
        float[] before = matmul(scaled, tokens, w, out, in);
        float[] after = matmul(scaledAfter, tokens, SmoothingMath.scaleColumns(w, out, in, s), out, in);
        assertClose(before, after, 1e-4);
    }

    @Property(tries = 50)
    void aLinearFoldedIntoTheNextKeepsTheProductAlsoWhenFused(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int mid,
                                                            @ForAll @IntRange(min = 0, max = 2) int extraParts) {
        Random r = new Random(seed);
        int tokens = 4, in = 6, out = 5, rows = mid * (1 + extraParts);
        float[] x = random(r, tokens * in, 1), w1 = random(r, rows * in, 1), w2 = random(r, out * mid, 1), s = positive(r, mid);
        float[] hidden = matmul(x, tokens, w1, rows, in);
        float[] hiddenAfter = matmul(x, tokens, SmoothingMath.divideLastRows(w1, rows, in, s), rows, in);
        float[] last = new float[tokens * mid], lastAfter = new float[tokens * mid];
        for (int t = 0; t < tokens; t++)
            for (int j = 0; j < mid; j++) {
                last[t * mid + j] = hidden[t * rows + rows - mid + j];
                lastAfter[t * mid + j] = hiddenAfter[t * rows + rows - mid + j];
            }
        for (int t = 0; t < tokens; t++)      // the leading parts (q, k; gate) are untouched
            for (int j = 0; j < rows - mid; j++) assertEquals(hidden[t * rows + j], hiddenAfter[t * rows + j]);
        assertClose(matmul(last, tokens, w2, out, mid), matmul(lastAfter, tokens, SmoothingMath.scaleColumns(w2, out, mid, s), out, mid), 1e-4);
    }

    @Property(tries = 50)
    void smoothQuantScalesFollowTheFormula(@ForAll long seed, @ForAll @DoubleRange(min = 0, max = 1) double alpha) {
        Random r = new Random(seed);
        float[] range = positive(r, 7), w = positive(r, 7);
        w[3] = 0;
        float[] s = SmoothingMath.smoothQuantScales(range, w, alpha);
        for (int j = 0; j < 7; j++) {
            double expected = j == 3 ? range[j] : Math.pow(range[j], alpha) / Math.pow(2 * w[j], 1 - alpha);
            assertEquals(Math.max(expected, 1e-5), s[j], 1e-5 * Math.max(1, expected));
        }
    }

    @Property(tries = 50)
    void awqScalesAreNormalisedAroundOne(@ForAll long seed, @ForAll @DoubleRange(min = 0, max = 1) double ratio, @ForAll boolean duo) {
        Random r = new Random(seed);
        float[] s = SmoothingMath.awqScales(positive(r, 9), positive(r, 9), ratio, duo);
        float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
        for (float v : s) {
            max = Math.max(max, v);
            min = Math.min(min, v);
            assertTrue(v > 0);
        }
        assertEquals(1.0, (double) max * min, 1e-4);
    }

    @Test
    void ratioZeroWithoutDuoIsTheIdentity() {
        float[] s = SmoothingMath.awqScales(new float[] {3, 0.1f, 7}, null, 0, false);
        for (float v : s) assertEquals(1f, v);
    }

    @Test
    void gridsFollowLlmCompressorsOrder() {
        List<SmoothingMath.GridPoint> both = SmoothingMath.awqGrid(20, DuoScaling.BOTH);
        assertEquals(20, both.size());
        assertEquals(new SmoothingMath.GridPoint(0, false), both.get(0));
        assertEquals(new SmoothingMath.GridPoint(0, true), both.get(1));
        assertEquals(new SmoothingMath.GridPoint(1, true), both.get(19));
        List<SmoothingMath.GridPoint> duo = SmoothingMath.awqGrid(20, DuoScaling.TRUE);
        assertEquals(20, duo.size());
        assertEquals(new SmoothingMath.GridPoint(0, false), duo.get(0));
        assertEquals(new SmoothingMath.GridPoint(1.0 / 18, true), duo.get(2));
        List<SmoothingMath.GridPoint> plain = SmoothingMath.awqGrid(5, DuoScaling.FALSE);
        assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), plain.stream().map(SmoothingMath.GridPoint::ratio).toList());
        assertThrows(IllegalArgumentException.class, () -> SmoothingMath.awqGrid(1, DuoScaling.FALSE));
    }

    @Test
    void weightMeansNormaliseEachChunk() {
        // 2 rows × 4 columns, groups of 2: |w| / (group max + 1e-6), averaged over rows
        float[] w = {1, -2, 4, 4, -3, 3, 1, 0};
        float[] mean = SmoothingMath.meanOfColumnSums(List.of(SmoothingMath.normalizedColumnSums(w, 2, 4, 2)), 2);
        float[] expected = {0.75f, 1f, 1f, 0.5f};
        for (int j = 0; j < 4; j++) assertEquals(expected[j], mean[j], 1e-5);
    }

    @Test
    void channelStatsTakeTheLastChannelsOfEachRow() {
        ChannelStats stats = new ChannelStats(2);
        stats.add(new float[] {9, 1, -2, 9, 3, 4}, 3);
        assertEquals(2, stats.tokens());
        assertTrue(java.util.Arrays.equals(new float[] {2, 6}, stats.range()));
        assertTrue(java.util.Arrays.equals(new float[] {3, 4}, stats.absMax()));
        assertTrue(java.util.Arrays.equals(new float[] {2, 3}, stats.absMean()));
    }
}
