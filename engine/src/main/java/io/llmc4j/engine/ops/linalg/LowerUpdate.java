package io.llmc4j.engine.ops.linalg;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.gemm.FloatMatrix;
import io.llmc4j.engine.ops.gemm.Gemm;

/**
 * {@code C += A·B} on the lower trapezoid of a square C only (the symmetric-update half of a GEMM):
 * C is cut into column blocks and block j0 receives rows {@code [j0, n)}, so the
 * strict upper part outside the diagonal blocks is neither computed nor written (about half the
 * flops of the full product). Each block is one packed Vector API GEMM ({@link Gemm#multiplyAdd}),
 * whose results do not depend on the thread count; the blocks come from the sizes alone. Wider blocks
 * pack A fewer times (each call packs rows {@code [j0, n)} of A) but compute more of the diagonal
 * blocks' upper halves: {@link #WIDE} suits a long k (the Hessian's tokens, measured 1.7× faster than 128
 * on 2048 columns × 2048 tokens), {@link #NARROW} the Cholesky's short trailing updates.
 */
final class LowerUpdate {
    /** Columns of C per GEMM call for long inner dimensions. */
    static final int WIDE = 512;
    /** Columns of C per GEMM call inside the factorizations. */
    static final int NARROW = 128;

    private LowerUpdate() {
    }

    /**
     * C {@code [n, n]} at {@code c[cAt]} (row stride {@code ldc}), lower trapezoid += A {@code [n, k]} · B {@code [k, n]}.
     * C must not overlap A or B; {@code block} columns of C per GEMM call.
     */
    static void add(float[] c, int cAt, int ldc, FloatMatrix a, FloatMatrix b, int block, Parallel parallel) {
        int n = a.rows();
        if (b.cols() != n || a.cols() != b.rows())
            throw new IllegalArgumentException("lower update: A " + a.rows() + "x" + a.cols() + " and B " + b.rows() + "x" + b.cols() + " do not give a square C");
        for (int j0 = 0; j0 < n; j0 += block) {
            int w = Math.min(block, n - j0);
            FloatMatrix rows = new FloatMatrix(a.data(), a.offset() + j0 * a.rowStride(), a.rowStride(), a.colStride(), n - j0, a.cols());
            FloatMatrix cols = new FloatMatrix(b.data(), b.offset() + j0 * b.colStride(), b.rowStride(), b.colStride(), b.rows(), w);
            Gemm.multiplyAdd(rows, cols, c, cAt + j0 * ldc + j0, ldc, parallel);
        }
    }
}
