package io.llmc4j.engine.ops.linalg;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.gemm.FloatMatrix;
import io.llmc4j.engine.ops.gemm.Gemm;

/**
 * Cholesky factorization {@code A = L·Lᵀ} of a symmetric positive definite F32 matrix, in place
 * (LAPACK {@code spotrf}, lower). Recursive: for {@code A = [[A11, ·], [A21, A22]]}
 *
 * <pre>
 *   L11 = chol(A11);   L21 = A21·L11⁻ᵀ  (triangular inverse + GEMM);   L22 = chol(A22 − L21·L21ᵀ)  (lower update)
 * </pre>
 *
 * down to diagonal blocks of at most {@value #BASE}, factored by the scalar column algorithm
 * ({@link LinalgReference#choleskyBlock}: O(n·BASE²) in all). Every O(n³) step is a Vector API
 * GEMM; the split points come from the size alone, so results are bit-identical for any thread count.
 */
public final class Cholesky {
    /** Largest diagonal block factored by the scalar loop. */
    static final int BASE = 64;

    private Cholesky() {
    }

    /**
     * Factors the row-major {@code [n, n]} matrix in place: on return its lower triangle holds L and
     * its strict upper triangle is zero. Reads only the lower triangle. Returns false (contents then
     * undefined) when A is not positive definite (a pivot ≤ 0 or NaN).
     */
    public static boolean factorLower(float[] a, int n, Parallel parallel) {
        if ((long) n * n != a.length) throw new IllegalArgumentException("matrix of " + a.length + " floats is not " + n + "x" + n);
        if (!factor(a, 0, n, n, parallel)) return false;
        for (int i = 0; i < n; i++) java.util.Arrays.fill(a, i * n + i + 1, (i + 1) * n, 0f);
        return true;
    }

    private static boolean factor(float[] a, int at, int m, int ld, Parallel parallel) {
        if (m <= BASE) return LinalgReference.choleskyBlock(a, at, m, ld);
        int h = split(m), r = m - h;
        if (!factor(a, at, h, ld, parallel)) return false;
        float[] inverse = new float[h * h];
        for (int i = 0; i < h; i++) System.arraycopy(a, at + i * ld, inverse, i * h, i + 1);
        TriangularInverse.invert(inverse, 0, h, h, parallel);
        float[] l21 = new float[r * h];
        Gemm.multiplyAdd(FloatMatrix.block(a, ld, 0, 0, r, h).offsetBy(at + h * ld), FloatMatrix.block(inverse, h, 0, 0, h, h).transposed(), l21, 0, h, parallel);
        float[] negated = new float[r * h];
        for (int i = 0; i < r; i++) {
            System.arraycopy(l21, i * h, a, at + (h + i) * ld, h);
            for (int j = 0; j < h; j++) negated[i * h + j] = -l21[i * h + j];
        }
        LowerUpdate.add(a, at + h * ld + h, ld, FloatMatrix.block(negated, h, 0, 0, r, h), FloatMatrix.block(l21, h, 0, 0, r, h).transposed(),
                LowerUpdate.NARROW, parallel);
        return factor(a, at + h * ld + h, r, ld, parallel);
    }

    /** The size of the leading block: about half, a multiple of {@link #BASE}, less than {@code m}. */
    static int split(int m) {
        return Math.max(BASE, (m / 2 + BASE - 1) / BASE * BASE);
    }
}
