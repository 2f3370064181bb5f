package io.llmc4j.engine.ops.linalg;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.gemm.FloatMatrix;
import io.llmc4j.engine.ops.gemm.Gemm;

/**
 * {@code C += A·B} on the lower trapezoid of a square C only (the symmetric-update half of a GEMM):
 * C is cut into column blocks of {@value #BLOCK} and block j0 receives rows {@code [j0, n)}, so the
 * strict upper part outside the diagonal blocks is neither computed nor written (about half the
 * flops of the full product). Each block is one packed Vector API GEMM ({@link Gemm#multiplyAdd}),
 * whose results do not depend on the thread count; the blocks come from the sizes alone.
 */
final class LowerUpdate {
    /** Columns of C per GEMM call. */
    static final int BLOCK = 128;

    private LowerUpdate() {
    }

    /**
     * C {@code [n, n]} at {@code c[cAt]} (row stride {@code ldc}), lower trapezoid += A {@code [n, k]} · B {@code [k, n]}.
     * C must not overlap A or B.
     */
    static void add(float[] c, int cAt, int ldc, FloatMatrix a, FloatMatrix b, Parallel parallel) {
        int n = a.rows();
        if (b.cols() != n || a.cols() != b.rows())
            throw new IllegalArgumentException("lower update: A " + a.rows() + "x" + a.cols() + " and B " + b.rows() + "x" + b.cols() + " do not give a square C");
        for (int j0 = 0; j0 < n; j0 += BLOCK) {
            int w = Math.min(BLOCK, n - j0);
            FloatMatrix rows = new FloatMatrix(a.data(), a.offset() + j0 * a.rowStride(), a.rowStride(), a.colStride(), n - j0, a.cols());
            FloatMatrix cols = new FloatMatrix(b.data(), b.offset() + j0 * b.colStride(), b.rowStride(), b.colStride(), b.rows(), w);
            Gemm.multiplyAdd(rows, cols, c, cAt + j0 * ldc + j0, ldc, parallel);
        }
    }
}
