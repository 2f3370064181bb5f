package io.llmc4j.engine.ops;

import static io.llmc4j.engine.ops.KernelAssertions.abs;
import static io.llmc4j.engine.ops.KernelAssertions.assertClose;
import static io.llmc4j.engine.ops.KernelAssertions.assertSameBits;
import static io.llmc4j.engine.ops.KernelAssertions.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every op of {@link VectorKernels} against {@link ReferenceKernels}, on sizes with tails. */
class VectorKernelsTest {
    private static final long SEED = 0x5EEDL;
    private static final int[] SIZES = {1, 3, 7, 31, 33, 257, 4099};
    private static final ReferenceKernels REFERENCE = new ReferenceKernels();
    private static Parallel parallel;
    private static VectorKernels fast;

    @BeforeAll
    static void start() {
        parallel = new Parallel(3);
        fast = new VectorKernels(parallel);
    }

    @AfterAll
    static void stop() {
        parallel.close();
    }

    /** Allowed error of a K-term float dot product, relative to Σ|aᵢ·bᵢ|. */
    private static double dotTolerance(long k) {
        return 0x1p-24 * (8 + 4 * Math.sqrt(k));
    }

    static Stream<Arguments> gemmCases() {
        int[][] shapes = {{1, 1, 1}, {3, 7, 5}, {5, 33, 65}, {6, 31, 7}, {33, 257, 31}, {64, 128, 96}, {13, 2100, 33}, {2, 4099, 3}};
        List<Arguments> cases = new ArrayList<>();
        for (int[] s : shapes)
            for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) cases.add(Arguments.of(s[0], s[1], s[2], dtype));
        return cases.stream();
    }

    @ParameterizedTest(name = "linear M={0} K={1} N={2} weight {3}")
    @MethodSource("gemmCases")
    void linearMatchesReference(int m, int k, int n, DType dtype) {
        long seed = SEED + 31L * m + 17L * k + n + dtype.ordinal();
        Random random = new Random(seed);
        Tensor x = normal(random, DType.F32, m, k), weight = normal(random, dtype, n, k), bias = normal(random, DType.F32, n);
        String what = "linear " + m + "x" + k + "x" + n + " " + dtype + " seed " + seed;
        double tolerance = dotTolerance(k);
        Tensor bound = REFERENCE.linear(abs(x), abs(weight), abs(bias));
        assertClose(fast.linear(x, weight, bias), REFERENCE.linear(x, weight, bias), bound, tolerance, 0, what + " with bias");
        Tensor unbiased = REFERENCE.linear(abs(x), abs(weight), null);
        assertClose(fast.linear(x, weight, null), REFERENCE.linear(x, weight, null), unbiased, tolerance, 0, what);
        // Strided operands: x and the weight as transposed views of [in, rows] tensors.
        Tensor xT = x.transpose(0, 1).contiguous().transpose(0, 1), weightT = weight.transpose(0, 1).contiguous().transpose(0, 1);
        assertClose(fast.linear(xT, weightT, null), REFERENCE.linear(x, weight, null), unbiased, tolerance, 0, what + " transposed views");
    }

    @ParameterizedTest(name = "matmul M={0} K={1} N={2} B {3}")
    @MethodSource("gemmCases")
    void matmulMatchesReference(int m, int k, int n, DType dtype) {
        long seed = SEED + 7L * m + 11L * k + n + dtype.ordinal();
        Random random = new Random(seed);
        Tensor a = normal(random, DType.F32, m, k), b = normal(random, dtype, k, n);
        String what = "matmul " + m + "x" + k + "x" + n + " " + dtype + " seed " + seed;
        Tensor want = REFERENCE.matmul(a, b), bound = REFERENCE.matmul(abs(a), abs(b));
        assertClose(fast.matmul(a, b), want, bound, dotTolerance(k), 0, what);
        Tensor bT = b.transpose(0, 1).contiguous().transpose(0, 1), aT = a.transpose(0, 1).contiguous().transpose(0, 1);
        assertClose(fast.matmul(aT, bT), want, bound, dotTolerance(k), 0, what + " transposed views");
    }

    @Test
    void linearKeepsLeadingDimsAndReadsNonContiguousBatches() {
        Random random = new Random(SEED);
        Tensor x = normal(random, DType.F32, 5, 3, 33), weight = normal(random, DType.BF16, 17, 33);
        Tensor strided = x.transpose(0, 1);                                    // [3, 5, 33], not contiguous
        Tensor want = REFERENCE.linear(strided.contiguous(), weight, null);
        assertClose(fast.linear(strided, weight, null), want, REFERENCE.linear(abs(strided.contiguous()), abs(weight), null),
                dotTolerance(33), 0, "rank-3 strided linear, seed " + SEED);
        assertThrows(IllegalArgumentException.class, () -> fast.linear(x, normal(random, DType.F32, 4, 32), null));
    }

    static Stream<Arguments> broadcastCases() {
        List<Arguments> cases = new ArrayList<>();
        for (int n : SIZES) {
            cases.add(Arguments.of(new long[] {2, 3, n}, new long[] {n}));
            cases.add(Arguments.of(new long[] {2, 3, n}, new long[] {3, n}));
            cases.add(Arguments.of(new long[] {n, 2}, new long[] {n, 2}));
            cases.add(Arguments.of(new long[] {n}, new long[] {}));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "add/mul {0} by {1}")
    @MethodSource("broadcastCases")
    void addAndMulAreBitExact(long[] aDims, long[] bDims) {
        Random random = new Random(SEED + aDims.length * 1000L + bDims.length);
        Tensor a = normal(random, DType.F32, aDims), b = normal(random, DType.F32, bDims);
        assertSameBits(fast.add(a, b), REFERENCE.add(a, b), "add");
        assertSameBits(fast.mul(a, b), REFERENCE.mul(a, b), "mul");
        if (aDims.length == 2 && bDims.length == 2) {                        // the same-shape case
            Tensor aT = a.transpose(0, 1).contiguous().transpose(0, 1);
            assertSameBits(fast.add(aT, b), REFERENCE.add(a, b), "add, strided a");
            assertSameBits(fast.mul(a.to(DType.BF16), b), REFERENCE.mul(a.to(DType.BF16), b), "mul, bf16 a");
        }
    }

    @Test
    void addRejectsShapesThatDoNotBroadcast() {
        Tensor a = Tensor.allocate(DType.F32, 2, 3), b = Tensor.allocate(DType.F32, 2);
        assertThrows(IllegalArgumentException.class, () -> fast.add(a, b));
    }

    @ParameterizedTest(name = "activations n={0}")
    @ValueSource(ints = {1, 3, 7, 31, 33, 257, 4099})
    void scaleSiluGeluMatchReference(int n) {
        Random random = new Random(SEED + n);
        Tensor x = normal(random, DType.F32, 2, n).contiguous();
        for (int i = 0; i < Math.min(n, 4); i++) x.setFlat(i, new float[] {-30f, 30f, 0f, -0f}[i]);
        assertSameBits(fast.scale(x, 0.37f), REFERENCE.scale(x, 0.37f), "scale n=" + n);
        assertClose(fast.silu(x), REFERENCE.silu(x), null, 4e-7, 1e-7, "silu n=" + n + " seed " + (SEED + n));
        assertClose(fast.gelu(x), REFERENCE.gelu(x), null, 4e-6, 2e-7, "gelu n=" + n + " seed " + (SEED + n));
        assertClose(fast.silu(x.to(DType.BF16)), REFERENCE.silu(x.to(DType.BF16)), null, 4e-7, 1e-7, "silu bf16 n=" + n);
    }

    @ParameterizedTest(name = "softmax and rmsNorm n={0}")
    @ValueSource(ints = {1, 3, 7, 31, 33, 257, 4099})
    void softmaxAndRmsNormMatchReference(int n) {
        long seed = SEED + 3L * n;
        Random random = new Random(seed);
        Tensor x = normal(random, DType.F32, 3, 2, n);
        assertClose(fast.softmax(x), REFERENCE.softmax(x), null, 2e-6, 1e-9, "softmax n=" + n + " seed " + seed);
        assertClose(fast.softmax(x.transpose(0, 1)), REFERENCE.softmax(x.transpose(0, 1)), null, 2e-6, 1e-9, "softmax strided n=" + n);
        for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            Tensor weight = normal(random, dtype, n);
            assertClose(fast.rmsNorm(x, weight, 1e-6f), REFERENCE.rmsNorm(x, weight, 1e-6f), null, 4e-6, 1e-7,
                    "rmsNorm n=" + n + " weight " + dtype + " seed " + seed);
        }
    }

    @Test
    void rmsNormOfAnInputBeyondTheCacheMatchesReference() {
        Random random = new Random(SEED + 5);
        Tensor x = normal(random, DType.F32, 1030, 1031), weight = normal(random, DType.BF16, 1031);   // pipelined path
        assertClose(fast.rmsNorm(x, weight, 1e-5f), REFERENCE.rmsNorm(x, weight, 1e-5f), null, 4e-6, 1e-7, "large rmsNorm, seed " + (SEED + 5));
    }

    @ParameterizedTest(name = "rope headDim={0}")
    @ValueSource(ints = {2, 6, 34, 64, 66, 128})
    void ropeMatchesReference(int headDim) {
        long seed = SEED + headDim;
        Random random = new Random(seed);
        Tensor x = normal(random, DType.F32, 2, 7, 3, headDim), cos = normal(random, DType.F32, 2, 7, headDim), sin = normal(random, DType.F32, 2, 7, headDim);
        assertClose(fast.rope(x, cos, sin), REFERENCE.rope(x, cos, sin), null, 1e-6, 1e-6, "rope headDim " + headDim + " seed " + seed);
        Tensor xStrided = x.transpose(1, 2).contiguous().transpose(1, 2);
        assertClose(fast.rope(xStrided, cos, sin), REFERENCE.rope(x, cos, sin), null, 1e-6, 1e-6, "rope strided x");
    }

    static Stream<Arguments> attentionCases() {
        return Stream.of(Arguments.of(1, 1, 1, 16, false), Arguments.of(2, 3, 4, 7, true), Arguments.of(1, 33, 6, 34, true),
                Arguments.of(2, 70, 4, 64, false), Arguments.of(1, 7, 2, 128, true));
    }

    @ParameterizedTest(name = "attention batch={0} tokens={1} qHeads={2} headDim={3} mask={4}")
    @MethodSource("attentionCases")
    void attentionMatchesReference(int batch, int tokens, int qHeads, int headDim, boolean masked) {
        long seed = SEED + 97L * tokens + headDim;
        Random random = new Random(seed);
        int kvHeads = qHeads % 2 == 0 ? qHeads / 2 : qHeads;
        Tensor q = normal(random, DType.F32, batch, tokens, qHeads, headDim);
        Tensor k = normal(random, DType.F32, batch, tokens, kvHeads, headDim), v = normal(random, DType.F32, batch, tokens, kvHeads, headDim);
        Tensor mask = null;
        if (masked) {
            mask = Tensor.allocate(DType.F32, batch, tokens);
            for (long i = 0; i < mask.elementCount(); i++) mask.setFlat(i, random.nextInt(4) == 0 ? 0 : 1);
            mask.setFlat(0, 0);                                                   // query 0 of batch 0 sees no key
        }
        float scale = (float) (1 / Math.sqrt(headDim));
        assertClose(fast.attention(q, k, v, mask, scale), REFERENCE.attention(q, k, v, mask, scale), null, 1e-5, 2e-6,
                "attention seed " + seed);
    }

    static Stream<Arguments> windowCases() {
        return Stream.of(Arguments.of(1, 0f), Arguments.of(3, 0f), Arguments.of(32, 0f), Arguments.of(70, 0f), Arguments.of(0, 2f),
                Arguments.of(5, 1.5f), Arguments.of(65, 50f));
    }

    /**
     * Sliding windows and soft-capping: the vector kernel matches the reference; and, independently, with
     * a window w query i equals full causal attention over the keys [i − w + 1, i] alone (the last row of
     * the reference run on that slice), which also checks windows that straddle the 64-query blocks.
     */
    @ParameterizedTest(name = "attention window={0} softcap={1}")
    @MethodSource("windowCases")
    void slidingWindowAndSoftcapMatchReferenceAndSlices(int window, float softcap) {
        long seed = SEED + 31L * window + (long) softcap;
        Random random = new Random(seed);
        int batch = 2, tokens = 130, qHeads = 4, kvHeads = 2, headDim = 8;
        Tensor q = normal(random, DType.F32, batch, tokens, qHeads, headDim);
        Tensor k = normal(random, DType.F32, batch, tokens, kvHeads, headDim), v = normal(random, DType.F32, batch, tokens, kvHeads, headDim);
        Tensor mask = Tensor.allocate(DType.F32, batch, tokens);
        for (long i = 0; i < mask.elementCount(); i++) mask.setFlat(i, random.nextInt(5) == 0 ? 0 : 1);
        float scale = 0.7f;
        Tensor expected = REFERENCE.attention(q, k, v, mask, scale, window, softcap, null);
        assertClose(fast.attention(q, k, v, mask, scale, window, softcap, null), expected, null, 1e-5, 2e-6, "attention window seed " + seed);
        Tensor sinks = normal(random, DType.F32, qHeads);
        assertClose(fast.attention(q, k, v, mask, scale, window, softcap, sinks), REFERENCE.attention(q, k, v, mask, scale, window, softcap, sinks),
                null, 1e-5, 2e-6, "attention with sinks, seed " + seed);
        if (window <= 0 || softcap > 0) return;
        for (int i : new int[] {0, 1, window - 1, window, 63, 64, 64 + window, tokens - 1}) {
            if (i < 0 || i >= tokens) continue;
            int from = Math.max(0, i - window + 1), length = i - from + 1;
            Tensor slice = REFERENCE.attention(q.narrow(1, from, length).contiguous(), k.narrow(1, from, length).contiguous(),
                    v.narrow(1, from, length).contiguous(), mask.narrow(1, from, length).contiguous(), scale);
            assertClose(expected.narrow(1, i, 1).contiguous(), slice.narrow(1, length - 1, 1).contiguous(), null, 1e-6, 1e-7,
                    "query " + i + " against its window alone");
        }
    }

    /** One key: out = v · e^s / (e^s + e^sink) with s = scale·q·k, written out by hand. */
    @Test
    void aSinkTakesItsShareOfTheSoftmax() {
        Tensor q = Tensor.of(new float[] {1, 2}, 1, 1, 1, 2), k = Tensor.of(new float[] {0.5f, 0.25f}, 1, 1, 1, 2);
        Tensor v = Tensor.of(new float[] {3, -4}, 1, 1, 1, 2), sinks = Tensor.of(new float[] {0.3f}, 1);
        double s = 0.5 * (1 * 0.5 + 2 * 0.25), share = Math.exp(s) / (Math.exp(s) + Math.exp(0.3));
        for (Kernels kernels : new Kernels[] {fast, REFERENCE})
            assertArrayEquals(new float[] {(float) (3 * share), (float) (-4 * share)}, kernels.attention(q, k, v, null, 0.5f, 0, 0f, sinks).toFloatArray(),
                    1e-6f, kernels.toString());
    }

    @Test
    void clampedSwigluMatchesTheFormula() {
        Tensor gate = Tensor.of(new float[] {-3, 0, 1.5f, 9}, 4), up = Tensor.of(new float[] {-8, 2, 0.5f, 8}, 4);
        float[] expected = new float[4];
        float[] g = {-3, 0, 1.5f, 7}, u = {-7, 2, 0.5f, 7};
        for (int i = 0; i < 4; i++) expected[i] = (float) ((u[i] + 1) * g[i] / (1 + Math.exp(-1.702 * g[i])));
        assertArrayEquals(expected, fast.clampedSwiglu(gate, up, 1.702f, 7f).toFloatArray(), 1e-6f);
        assertArrayEquals(expected, REFERENCE.clampedSwiglu(gate, up, 1.702f, 7f).toFloatArray(), 1e-6f);
    }

    @Test
    void softcapMatchesReference() {
        Tensor x = normal(new Random(SEED), DType.F32, 3, 257);
        Tensor scaled = REFERENCE.scale(x, 40f);
        assertClose(fast.softcap(scaled, 30f), REFERENCE.softcap(scaled, 30f), null, 1e-6, 1e-6, "softcap");
        float[] capped = fast.softcap(scaled, 30f).toFloatArray();
        for (float c : capped) assertTrue(Math.abs(c) < 30f, "soft-capped values stay inside the cap: " + c);
    }

    static Stream<Arguments> reduceCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Reduction reduction : Reduction.values())
            for (int n : SIZES) {
                cases.add(Arguments.of(reduction, new long[] {3, n}, 1));
                cases.add(Arguments.of(reduction, new long[] {n, 5}, 0));
                cases.add(Arguments.of(reduction, new long[] {2, n, 3}, 1));
            }
        cases.add(Arguments.of(Reduction.SUM, new long[] {2, 40000}, -1));
        cases.add(Arguments.of(Reduction.ABS_MAX, new long[] {2, 40000}, 1));
        cases.add(Arguments.of(Reduction.MIN, new long[] {3, 0}, 1));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} of {1} along axis {2}")
    @MethodSource("reduceCases")
    void reduceMatchesReference(Reduction reduction, long[] dims, int axis) {
        long seed = SEED + dims[0] * 131 + dims[dims.length - 1];
        Random random = new Random(seed);
        for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            Tensor x = normal(random, dtype, dims);
            String what = reduction + " " + dtype + " axis " + axis + " seed " + seed;
            Tensor want = REFERENCE.reduce(reduction, x, axis);
            if (reduction == Reduction.SUM) {
                Tensor bound = REFERENCE.reduce(Reduction.SUM, abs(x), axis);
                assertClose(fast.reduce(reduction, x, axis), want, bound, dotTolerance(x.dim(axis < 0 ? axis + x.rank() : axis)), 0, what);
            } else {
                assertSameBits(fast.reduce(reduction, x, axis), want, what);
                if (dims.length == 2)
                    assertSameBits(fast.reduce(reduction, x.transpose(0, 1), 1 - axis), REFERENCE.reduce(reduction, x.transpose(0, 1), 1 - axis), what + " strided");
            }
        }
    }

    @Test
    void maxPropagatesNaN() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}, 1, 18);
        assertSameBits(fast.reduce(Reduction.MAX, x, 1), REFERENCE.reduce(Reduction.MAX, x, 1), "max with NaN");
        assertSameBits(fast.reduce(Reduction.ABS_MAX, x, 0), REFERENCE.reduce(Reduction.ABS_MAX, x, 0), "abs-max with NaN");
    }

    @ParameterizedTest(name = "embedding table {0}")
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16", "F8_E4M3"})
    void embeddingIsBitExact(DType dtype) {
        Random random = new Random(SEED);
        Tensor table = normal(random, dtype, 50, 33);
        Tensor ids = Tensor.ofLongs(new long[] {0, 49, 7, 7, 3, 12}, 2, 3);
        assertSameBits(fast.embedding(ids, table), REFERENCE.embedding(ids, table), "embedding " + dtype);
        Tensor stridedTable = table.transpose(0, 1).contiguous().transpose(0, 1);
        assertSameBits(fast.embedding(ids, stridedTable), REFERENCE.embedding(ids, table), "embedding strided " + dtype);
        assertThrows(IndexOutOfBoundsException.class, () -> fast.embedding(Tensor.ofLongs(new long[] {50}, 1), table));
    }

    @ParameterizedTest(name = "convert {0} -> {1}")
    @MethodSource("conversionPairs")
    void convertIsBitExact(DType from, DType to) {
        Random random = new Random(SEED + from.ordinal() * 16L + to.ordinal());
        float[] values = new float[300];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(40) - 20));
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1e-40f, 65520f, 500f, -449f, Float.MAX_VALUE};
        System.arraycopy(specials, 0, values, 0, specials.length);
        Tensor x = Tensor.of(values, 3, 100).to(from);
        Tensor got = fast.convert(x, to), want = REFERENCE.convert(x, to);
        assertArrayEquals(want.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), got.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                "convert " + from + " -> " + to);
        Tensor strided = fast.convert(x.transpose(0, 1), to);
        assertArrayEquals(REFERENCE.convert(x.transpose(0, 1), to).segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                strided.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "convert strided " + from + " -> " + to);
    }

    static Stream<Arguments> conversionPairs() {
        DType[] floats = {DType.F32, DType.BF16, DType.F16, DType.F8_E4M3, DType.F8_E5M2};
        List<Arguments> pairs = new ArrayList<>();
        for (DType from : floats) for (DType to : floats) pairs.add(Arguments.of(from, to));
        pairs.add(Arguments.of(DType.I64, DType.F32));
        pairs.add(Arguments.of(DType.F32, DType.I32));
        return pairs.stream();
    }
}
