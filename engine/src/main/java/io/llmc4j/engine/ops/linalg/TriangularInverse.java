package io.llmc4j.engine.ops.linalg;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.gemm.FloatMatrix;
import io.llmc4j.engine.ops.gemm.Gemm;

/**
 * Inverse of a lower triangular F32 matrix in place (LAPACK {@code strtri}, lower, non-unit).
 * Recursive: {@code [[A, 0], [B, C]]⁻¹ = [[A⁻¹, 0], [−C⁻¹·B·A⁻¹, C⁻¹]]}, the two products as Vector
 * API GEMMs, down to diagonal blocks of at most {@value Cholesky#BASE} inverted by the scalar loop
 * ({@link LinalgReference#invertLowerBlock}). Split points come from the size alone: bit-identical
 * for any thread count.
 */
public final class TriangularInverse {
    private TriangularInverse() {
    }

    /** Inverts the row-major lower triangular {@code [n, n]} matrix in place; its strict upper triangle must be zero (it stays zero). */
    public static void invertLower(float[] l, int n, Parallel parallel) {
        if ((long) n * n != l.length) throw new IllegalArgumentException("matrix of " + l.length + " floats is not " + n + "x" + n);
        invert(l, 0, n, n, parallel);
    }

    /** The {@code m × m} block at {@code a[at]} (row stride {@code ld}), strict upper part zero, inverted in place. */
    static void invert(float[] a, int at, int m, int ld, Parallel parallel) {
        if (m <= Cholesky.BASE) {
            LinalgReference.invertLowerBlock(a, at, m, ld);
            return;
        }
        int h = Cholesky.split(m), r = m - h;
        invert(a, at, h, ld, parallel);
        invert(a, at + h * ld + h, r, ld, parallel);
        float[] t = new float[r * h];
        Gemm.multiplyAdd(FloatMatrix.block(a, ld, 0, 0, r, h).offsetBy(at + h * ld), FloatMatrix.block(a, ld, 0, 0, h, h).offsetBy(at), t, 0, h, parallel);
        for (int i = 0; i < t.length; i++) t[i] = -t[i];
        for (int i = 0; i < r; i++) java.util.Arrays.fill(a, at + (h + i) * ld, at + (h + i) * ld + h, 0f);
        Gemm.multiplyAdd(FloatMatrix.block(a, ld, 0, 0, r, r).offsetBy(at + h * ld + h), FloatMatrix.block(t, h, 0, 0, r, h), a, at + h * ld, ld, parallel);
    }
}
