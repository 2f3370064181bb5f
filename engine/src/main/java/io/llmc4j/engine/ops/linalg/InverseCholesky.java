package io.llmc4j.engine.ops.linalg;

import io.llmc4j.engine.ops.Parallel;

/**
 * The upper Cholesky factor of an inverse, {@code U} with {@code H⁻¹ = UᵀU} (what GPTQ and SparseGPT
 * read their column updates from), without forming {@code H⁻¹}: with J the index reversal,
 * {@code JHJ = L'L'ᵀ} gives {@code H = ŨŨᵀ} for the upper {@code Ũ = JL'J}, so {@code U = Ũ⁻¹ = JL'⁻¹J}.
 * One Cholesky and one triangular inverse ({@link Cholesky}, {@link TriangularInverse}: Vector API
 * GEMMs) instead of LAPACK's factor, inverse, factor: the same U up to float rounding (checked against
 * {@link LinalgReference#upperFactorOfInverse}). Bit-identical for any thread count.
 */
public final class InverseCholesky {
    private InverseCholesky() {
    }

    /** U (row-major {@code [n, n]}, strict lower part zero) for the symmetric {@code h}, or null when h is not positive definite. h is not modified. */
    public static float[] upperFactorOfInverse(float[] h, int n, Parallel parallel) {
        if ((long) n * n != h.length) throw new IllegalArgumentException("matrix of " + h.length + " floats is not " + n + "x" + n);
        float[] work = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) work[i * n + j] = h[(n - 1 - i) * n + (n - 1 - j)];
        if (!Cholesky.factorLower(work, n, parallel)) return null;
        TriangularInverse.invertLower(work, n, parallel);
        float[] u = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) u[i * n + j] = work[(n - 1 - i) * n + (n - 1 - j)];
        return u;
    }
}
