package io.llmc4j.engine.ops.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.Parallel;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The Vector API linear-algebra kernels against {@link LinalgReference} on random sizes (across the
 * recursion's block boundaries) and data, and bit-identical on 1 and 4 threads.
 */
class LinalgProperties {
    private static Parallel one;
    private static Parallel four;

    @BeforeContainer
    static void start() {
        one = new Parallel(1);
        four = new Parallel(4);
    }

    @AfterContainer
    static void stop() {
        one.close();
        four.close();
    }

    static float[] gaussian(Random random, int count) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float) random.nextGaussian();
        return x;
    }

    /** A well-conditioned SPD matrix: XᵀX/tokens + 0.1·I with more tokens than columns. */
    static float[] spd(Random random, int n) {
        int tokens = n + 16;
        float[] x = gaussian(random, tokens * n), h = new float[n * n];
        LinalgReference.accumulateLower(x, tokens, n, h);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) h[i * n + j] /= tokens;
            h[i * n + i] += 0.1f;
        }
        SymmetricRankK.mirrorLower(h, n);
        return h;
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tolerance * Math.max(1, scale), what + ", element " + i);
    }

    private static void assertSameBits(float[] a, float[] b, String what) {
        for (int i = 0; i < a.length; i++)
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), what + ", element " + i + " (1 vs 4 threads)");
    }

    @Property(tries = 15)
    void rankKUpdateMatchesTheReferenceOnTheLowerTriangle(@ForAll @IntRange(min = 1, max = 1100) int in, @ForAll @IntRange(min = 1, max = 40) int tokens,
                                                          @ForAll long seed) {
        Random random = new Random(seed);
        float[] x = gaussian(random, tokens * in), start = gaussian(random, in * in);
        float[] expected = start.clone(), fast1 = start.clone(), fast4 = start.clone();
        LinalgReference.accumulateLower(x, tokens, in, expected);
        SymmetricRankK.accumulateLower(x, tokens, in, fast1, one);
        SymmetricRankK.accumulateLower(x, tokens, in, fast4, four);
        for (int i = 0; i < in; i++)
            for (int j = 0; j <= i; j++) assertEquals(expected[i * in + j], fast1[i * in + j], 1e-5 * (tokens + 10), "H[" + i + "][" + j + "]");
        for (int i = 0; i < in; i++)
            for (int j = i + 1; j < in; j++)
                if (j / LowerUpdate.WIDE > i / LowerUpdate.WIDE) assertEquals(start[i * in + j], fast1[i * in + j], "upper H[" + i + "][" + j + "] untouched");
        assertSameBits(fast1, fast4, "XᵀX");
    }

    @Property(tries = 20)
    void choleskyMatchesTheReferenceAndReconstructs(@ForAll @IntRange(min = 1, max = 330) int n, @ForAll long seed) {
        float[] h = spd(new Random(seed), n);
        float[] expected = h.clone(), fast1 = h.clone(), fast4 = h.clone();
        assertTrue(LinalgReference.choleskyLower(expected, n));
        assertTrue(Cholesky.factorLower(fast1, n, one));
        assertTrue(Cholesky.factorLower(fast4, n, four));
        assertClose(expected, fast1, 2e-4, "L");
        assertSameBits(fast1, fast4, "L");
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k <= j; k++) s += (double) fast1[i * n + k] * fast1[j * n + k];
                assertEquals(h[i * n + j], s, 1e-4 * (1 + Math.abs(h[i * n + j])), "L·Lᵀ[" + i + "][" + j + "]");
            }
    }

    @Property(tries = 20)
    void triangularInverseMatchesTheReference(@ForAll @IntRange(min = 1, max = 330) int n, @ForAll long seed) {
        float[] l = spd(new Random(seed), n);
        assertTrue(LinalgReference.choleskyLower(l, n));
        float[] expected = l.clone(), fast1 = l.clone(), fast4 = l.clone();
        LinalgReference.invertLower(expected, n);
        TriangularInverse.invertLower(fast1, n, one);
        TriangularInverse.invertLower(fast4, n, four);
        assertClose(expected, fast1, 1e-4, "L⁻¹");
        assertSameBits(fast1, fast4, "L⁻¹");
    }

    @Property(tries = 12)
    void upperFactorOfTheInverseMatchesTorchsThreeStepPath(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed) {
        float[] h = spd(new Random(seed), n), copy = h.clone();
        float[] expected = LinalgReference.upperFactorOfInverse(h, n);
        float[] fast1 = InverseCholesky.upperFactorOfInverse(h, n, one), fast4 = InverseCholesky.upperFactorOfInverse(h, n, four);
        assertNotNull(expected);
        assertNotNull(fast1);
        assertClose(expected, fast1, 2e-4, "U");
        assertSameBits(fast1, fast4, "U");
        assertSameBits(copy, h, "input unchanged");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) assertEquals(0f, fast1[i * n + j], "strict lower part of U");
    }

    @Property(tries = 30)
    void outerUpdateIsBitIdenticalToTheReference(@ForAll @IntRange(min = 1, max = 20) int rows, @ForAll @IntRange(min = 1, max = 150) int ld,
                                                 @ForAll @IntRange(max = 149) int from, @ForAll long seed) {
        Random random = new Random(seed);
        int start = Math.min(from, ld);
        float[] w = gaussian(random, rows * ld + 3), e = gaussian(random, rows + 1), h = gaussian(random, ld + 2);
        float[] expected = w.clone();
        LinalgReference.subtractOuter(expected, 3, ld, rows, e, 1, h, 2, start, ld);
        OuterUpdate.subtractOuter(w, 3, ld, rows, e, 1, h, 2, start, ld);
        assertSameBits(expected, w, "W − e·hᵀ");
    }

    @Property(tries = 8)
    void notPositiveDefiniteIsReported(@ForAll @IntRange(min = 1, max = 150) int n, @ForAll @IntRange(max = 149) int bad, @ForAll long seed) {
        float[] h = spd(new Random(seed), n);
        int i = bad % n;
        h[i * n + i] = -1f;
        assertFalse(Cholesky.factorLower(h.clone(), n, one));
        assertEquals(null, InverseCholesky.upperFactorOfInverse(h, n, one));
    }

    @net.jqwik.api.Example
    void largeSizesStayBitIdenticalAcrossThreadCounts() {
        int n = 700;
        float[] h = spd(new Random(n), n);
        float[] a = InverseCholesky.upperFactorOfInverse(h, n, one), b = InverseCholesky.upperFactorOfInverse(h, n, four);
        assertSameBits(a, b, "U of a 700x700 Hessian");
    }
}
