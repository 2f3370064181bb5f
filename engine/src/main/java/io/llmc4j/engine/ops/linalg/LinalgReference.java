package io.llmc4j.engine.ops.linalg;

/**
 * Plain scalar loops for every linear-algebra kernel of this package: the oracle the property tests
 * compare against, and the small diagonal blocks the recursive kernels bottom out in
 * ({@link #choleskyBlock}, {@link #invertLowerBlock}). Row-major {@code float[]} matrices; F32
 * arithmetic in the textbook order. Stateless.
 */
public final class LinalgReference {
    private LinalgReference() {
    }

    /** Lower triangle of {@code h [in, in]} += XᵀX for {@code x [tokens, in]}; sums in token order. */
    public static void accumulateLower(float[] x, int tokens, int in, float[] h) {
        for (int i = 0; i < in; i++)
            for (int j = 0; j <= i; j++) {
                float s = 0f;
                for (int t = 0; t < tokens; t++) s += x[t * in + i] * x[t * in + j];
                h[i * in + j] += s;
            }
    }

    /** Cholesky of the whole {@code [n, n]} matrix in place (lower, upper zeroed); false when not positive definite. */
    public static boolean choleskyLower(float[] a, int n) {
        if (!choleskyBlock(a, 0, n, n)) return false;
        for (int i = 0; i < n; i++) java.util.Arrays.fill(a, i * n + i + 1, (i + 1) * n, 0f);
        return true;
    }

    /** Inverse of the lower triangular {@code [n, n]} matrix in place (strict upper part zero). */
    public static void invertLower(float[] l, int n) {
        invertLowerBlock(l, 0, n, n);
    }

    /**
     * U upper triangular with {@code H⁻¹ = UᵀU}, as torch computes it: {@code cholesky(H)}, then
     * {@code cholesky_inverse}, then {@code cholesky(·, upper=True)}. Null when H is not positive definite.
     */
    public static float[] upperFactorOfInverse(float[] h, int n) {
        float[] l = h.clone();
        if (!choleskyLower(l, n)) return null;
        invertLower(l, n);
        float[] inverse = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) {
                float s = 0f;
                for (int k = i; k < n; k++) s += l[k * n + i] * l[k * n + j];
                inverse[i * n + j] = s;
            }
        if (!choleskyLower(inverse, n)) return null;
        float[] u = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) u[i * n + j] = inverse[j * n + i];
        return u;
    }

    /** {@code w[r·ld + c] -= e[r]·h[c]} for rows {@code [0, rows)} and columns {@code [from, to)} (product rounded, then subtracted). */
    public static void subtractOuter(float[] w, int wAt, int ld, int rows, float[] e, int eAt, float[] h, int hAt, int from, int to) {
        for (int r = 0; r < rows; r++)
            for (int c = from; c < to; c++) w[wAt + r * ld + c] -= e[eAt + r] * h[hAt + c];
    }

    /**
     * The column Cholesky of the {@code m × m} block at {@code a[at]} (row stride {@code ld}), lower
     * part read and overwritten. False when a pivot is not positive.
     */
    static boolean choleskyBlock(float[] a, int at, int m, int ld) {
        for (int j = 0; j < m; j++) {
            int rj = at + j * ld;
            float d = a[rj + j];
            for (int k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
            if (!(d > 0f)) return false;
            float root = (float) Math.sqrt(d);
            a[rj + j] = root;
            for (int i = j + 1; i < m; i++) {
                int ri = at + i * ld;
                float s = a[ri + j];
                for (int k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
                a[ri + j] = s / root;
            }
        }
        return true;
    }

    /** Inverts the lower triangular {@code m × m} block at {@code a[at]} (row stride {@code ld}) in place; the strict upper part is left as is. */
    static void invertLowerBlock(float[] a, int at, int m, int ld) {
        // Column by column: X[j][j] = 1/L[j][j]; X[i][j] = −(Σ_{j≤k<i} L[i][k]·X[k][j]) / L[i][i]. L is read before X overwrites it.
        float[] x = new float[m * m];
        for (int j = 0; j < m; j++) {
            x[j * m + j] = 1f / a[at + j * ld + j];
            for (int i = j + 1; i < m; i++) {
                float s = 0f;
                for (int k = j; k < i; k++) s += a[at + i * ld + k] * x[k * m + j];
                x[i * m + j] = -s / a[at + i * ld + i];
            }
        }
        for (int i = 0; i < m; i++) System.arraycopy(x, i * m, a, at + i * ld, i + 1);
    }
}
