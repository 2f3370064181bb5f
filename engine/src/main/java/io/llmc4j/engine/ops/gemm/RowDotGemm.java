package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM for a few rows of A against B whose columns are contiguous along k (a Linear weight
 * {@code [out, in]}): each output is a dot product of an A row with a weight row, read straight from
 * the weight in its own dtype. With so few rows the packed path would mostly multiply padding, and
 * this path reads the weight exactly once (token-by-token generation is memory bound).
 *
 * <p>Columns are split into tasks of {@value #COLUMNS_PER_TASK}; within a task four weight rows
 * (read in place when they are F32 on the heap, else staged as floats) are dotted with each A row at once (four accumulators over k, then a lane reduction and a scalar tail),
 * so each result depends only on the data. {@code C += A · B}, as in {@link GemmDriver}.
 */
final class RowDotGemm {
    /** The largest row count of A routed here. */
    static final int MAX_ROWS = 5;
    private static final int COLUMNS_PER_TASK = 64;
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;

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
            Window w0 = new Window(), w1 = new Window(), w2 = new Window(), w3 = new Window();
            int first = task * COLUMNS_PER_TASK, last = Math.min(n, first + COLUMNS_PER_TASK);
            int j = first;
            for (; j + 4 <= last; j += 4) {
                // Four weight rows, read in place (F32 heap) or staged as floats.
                b.data().read(b.index(0, j), k, w0);
                b.data().read(b.index(0, j + 1), k, w1);
                b.data().read(b.index(0, j + 2), k, w2);
                b.data().read(b.index(0, j + 3), k, w3);
                for (int i = 0; i < m; i++) dot4(rows, i * k, k, w0, w1, w2, w3, c, cAt + i * ldc + j);
            }
            for (; j < last; j++) {
                b.data().read(b.index(0, j), k, w0);
                for (int i = 0; i < m; i++) c[cAt + i * ldc + j] += dot(rows, i * k, w0.array(), w0.offset(), k);
            }
        });
    }

    private static void dot4(float[] x, int xAt, int k, Window r0, Window r1, Window r2, Window r3, float[] c, int cAt) {
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
        float s0 = VectorMath.sum(acc0), s1 = VectorMath.sum(acc1);
        float s2 = VectorMath.sum(acc2), s3 = VectorMath.sum(acc3);
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

    private static float dot(float[] x, int xAt, float[] w, int wAt, int k) {
        FloatVector acc = FloatVector.zero(S);
        int p = 0;
        for (int end = k - k % LANES; p < end; p += LANES)
            acc = FloatVector.fromArray(S, x, xAt + p).fma(FloatVector.fromArray(S, w, wAt + p), acc);
        float sum = VectorMath.sum(acc);
        for (; p < k; p++) sum = Math.fma(x[xAt + p], w[wAt + p], sum);
        return sum;
    }
}
