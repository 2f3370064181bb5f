package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM for a few rows of A against B whose columns are contiguous along k (a Linear weight
 * {@code [out, in]}): each output is a dot product of an A row with a weight row. With few rows the
 * packed path would spend more time transposing the weight into panels than multiplying; this path
 * reads each weight row once (token-by-token generation is memory bound) and register-blocks
 * 4 A rows × 4 weight rows.
 *
 * <p>Columns are split into tasks of {@value #COLUMNS_PER_TASK}; within a task four weight rows
 * (read in place when they are F32 on the heap, else staged as floats) are dotted with A rows four
 * at a time, the leftover rows one at a time. Every dot product runs the same way in both cases
 * (lane-wise FMAs over k, a fixed-order lane sum, a scalar tail), so each result depends only on
 * the data. {@code C += A · B}, as in {@link GemmDriver}.
 */
final class RowDotGemm {
    /** The largest row count of A routed here. */
    static final int MAX_ROWS = 32;
    private static final int COLUMNS_PER_TASK = 64;
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;
    /** A task's four weight-row windows, reused per thread. */
    private static final WindowPool WEIGHT_ROWS = new WindowPool(4);
    private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[16 * LANES]);

    private RowDotGemm() {
    }

    /** Whether this path handles {@code a · b}. */
    static boolean accepts(MatrixOperand a, MatrixOperand b) {
        return a.rows() <= MAX_ROWS && b.rowStride() == 1;
    }

    /** {@code C += A · B}, C row i starting at {@code c[cAt + i·ldc]}. */
    static void multiply(MatrixOperand a, MatrixOperand b, float[] c, int cAt, int ldc, Parallel parallel) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (m == 0 || n == 0) return;
        float[] rows = new float[Math.multiplyExact(m, k)];
        Packing.packRows(a, rows);
        parallel.forEach(Parallel.chunkCount(n, COLUMNS_PER_TASK), task -> {
            Window[] windows = WEIGHT_ROWS.get();
            Window w0 = windows[0], w1 = windows[1], w2 = windows[2], w3 = windows[3];
            float[] lanes = LANE_SCRATCH.get();
            int first = task * COLUMNS_PER_TASK, last = Math.min(n, first + COLUMNS_PER_TASK);
            int j = first;
            for (; j + 4 <= last; j += 4) {
                // Four weight rows, read in place (F32 heap) or staged as floats.
                b.data().read(b.index(0, j), k, w0);
                b.data().read(b.index(0, j + 1), k, w1);
                b.data().read(b.index(0, j + 2), k, w2);
                b.data().read(b.index(0, j + 3), k, w3);
                int i = 0;
                for (; i + 4 <= m; i += 4) dot4x4(rows, i * k, k, w0, w1, w2, w3, c, cAt + i * ldc + j, ldc, lanes);
                for (; i < m; i++) dot4(rows, i * k, k, w0, w1, w2, w3, c, cAt + i * ldc + j, lanes);
            }
            for (; j < last; j++) {
                b.data().read(b.index(0, j), k, w0);
                for (int i = 0; i < m; i++) c[cAt + i * ldc + j] += dot(rows, i * k, w0.array(), w0.offset(), k, lanes);
            }
        });
    }

    /**
     * Four A rows (consecutive, {@code k} apart from {@code xAt}) against four weight rows: 16
     * accumulators, 8 loads per 16 FMAs. Each of the 16 sums runs exactly as in {@link #dot4}.
     */
    private static void dot4x4(float[] x, int xAt, int k, Window r0, Window r1, Window r2, Window r3, float[] c, int cAt, int ldc, float[] lanes) {
        float[] w0 = r0.array(), w1 = r1.array(), w2 = r2.array(), w3 = r3.array();
        int o0 = r0.offset(), o1 = r1.offset(), o2 = r2.offset(), o3 = r3.offset();
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S), a33 = FloatVector.zero(S);
        int p = 0;
        for (int end = k - k % LANES; p < end; p += LANES) {
            FloatVector b0 = FloatVector.fromArray(S, w0, o0 + p), b1 = FloatVector.fromArray(S, w1, o1 + p);
            FloatVector b2 = FloatVector.fromArray(S, w2, o2 + p), b3 = FloatVector.fromArray(S, w3, o3 + p);
            FloatVector x0 = FloatVector.fromArray(S, x, xAt + p);
            a00 = x0.fma(b0, a00);
            a01 = x0.fma(b1, a01);
            a02 = x0.fma(b2, a02);
            a03 = x0.fma(b3, a03);
            FloatVector x1 = FloatVector.fromArray(S, x, xAt + k + p);
            a10 = x1.fma(b0, a10);
            a11 = x1.fma(b1, a11);
            a12 = x1.fma(b2, a12);
            a13 = x1.fma(b3, a13);
            FloatVector x2 = FloatVector.fromArray(S, x, xAt + 2 * k + p);
            a20 = x2.fma(b0, a20);
            a21 = x2.fma(b1, a21);
            a22 = x2.fma(b2, a22);
            a23 = x2.fma(b3, a23);
            FloatVector x3 = FloatVector.fromArray(S, x, xAt + 3 * k + p);
            a30 = x3.fma(b0, a30);
            a31 = x3.fma(b1, a31);
            a32 = x3.fma(b2, a32);
            a33 = x3.fma(b3, a33);
        }
        // The accumulators leave through array stores: passing vectors to a call that the JIT does not
        // inline would box them inside the loop.
        a00.intoArray(lanes, 0);
        a01.intoArray(lanes, LANES);
        a02.intoArray(lanes, 2 * LANES);
        a03.intoArray(lanes, 3 * LANES);
        a10.intoArray(lanes, 4 * LANES);
        a11.intoArray(lanes, 5 * LANES);
        a12.intoArray(lanes, 6 * LANES);
        a13.intoArray(lanes, 7 * LANES);
        a20.intoArray(lanes, 8 * LANES);
        a21.intoArray(lanes, 9 * LANES);
        a22.intoArray(lanes, 10 * LANES);
        a23.intoArray(lanes, 11 * LANES);
        a30.intoArray(lanes, 12 * LANES);
        a31.intoArray(lanes, 13 * LANES);
        a32.intoArray(lanes, 14 * LANES);
        a33.intoArray(lanes, 15 * LANES);
        for (int row = 0; row < 4; row++) finish(x, xAt + row * k, p, k, lanes, 4 * row * LANES, w0, o0, w1, o1, w2, o2, w3, o3, c, cAt + row * ldc);
    }

    /**
     * Lane sums of four accumulators stored at {@code lanes[at …]}, the scalar tail from {@code p}, and
     * {@code c[cAt .. cAt+3] +=} the four dot products.
     */
    private static void finish(float[] x, int xAt, int p, int k, float[] lanes, int at, float[] w0, int o0, float[] w1, int o1,
                               float[] w2, int o2, float[] w3, int o3, float[] c, int cAt) {
        float s0 = VectorMath.sumInPlace(lanes, at), s1 = VectorMath.sumInPlace(lanes, at + LANES);
        float s2 = VectorMath.sumInPlace(lanes, at + 2 * LANES), s3 = VectorMath.sumInPlace(lanes, at + 3 * LANES);
        for (; p < k; p++) {
            float xv = x[xAt + p];
            s0 = Math.fma(xv, w0[o0 + p], s0);
            s1 = Math.fma(xv, w1[o1 + p], s1);
            s2 = Math.fma(xv, w2[o2 + p], s2);
            s3 = Math.fma(xv, w3[o3 + p], s3);
        }
        c[cAt] += s0;
        c[cAt + 1] += s1;
        c[cAt + 2] += s2;
        c[cAt + 3] += s3;
    }

    private static void dot4(float[] x, int xAt, int k, Window r0, Window r1, Window r2, Window r3, float[] c, int cAt, float[] lanes) {
        float[] w0 = r0.array(), w1 = r1.array(), w2 = r2.array(), w3 = r3.array();
        int o0 = r0.offset(), o1 = r1.offset(), o2 = r2.offset(), o3 = r3.offset();
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S), acc2 = FloatVector.zero(S), acc3 = FloatVector.zero(S);
        int p = 0;
        for (int end = k - k % LANES; p < end; p += LANES) {
            FloatVector xv = FloatVector.fromArray(S, x, xAt + p);
            acc0 = xv.fma(FloatVector.fromArray(S, w0, o0 + p), acc0);
            acc1 = xv.fma(FloatVector.fromArray(S, w1, o1 + p), acc1);
            acc2 = xv.fma(FloatVector.fromArray(S, w2, o2 + p), acc2);
            acc3 = xv.fma(FloatVector.fromArray(S, w3, o3 + p), acc3);
        }
        acc0.intoArray(lanes, 0);
        acc1.intoArray(lanes, LANES);
        acc2.intoArray(lanes, 2 * LANES);
        acc3.intoArray(lanes, 3 * LANES);
        finish(x, xAt, p, k, lanes, 0, w0, o0, w1, o1, w2, o2, w3, o3, c, cAt);
    }

    private static float dot(float[] x, int xAt, float[] w, int wAt, int k, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        int p = 0;
        for (int end = k - k % LANES; p < end; p += LANES)
            acc = FloatVector.fromArray(S, x, xAt + p).fma(FloatVector.fromArray(S, w, wAt + p), acc);
        acc.intoArray(lanes, 0);   // summed through the array: no vector is passed to a call (see VectorMath.sumInPlace)
        float sum = VectorMath.sumInPlace(lanes, 0);
        for (; p < k; p++) sum = Math.fma(x[xAt + p], w[wAt + p], sum);
        return sum;
    }
}
