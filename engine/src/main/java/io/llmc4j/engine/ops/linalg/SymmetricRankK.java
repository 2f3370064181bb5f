package io.llmc4j.engine.ops.linalg;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.gemm.FloatMatrix;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The symmetric rank-k update {@code H += XᵀX} (BLAS {@code ssyrk}) for activations X
 * {@code [tokens, in]} into an F32 {@code [in, in]} row-major accumulator: the GPTQ / SparseGPT
 * Hessian sum. Only the lower triangle is accumulated ({@link LowerUpdate}: half the flops of a
 * GEMM); {@link #mirrorLower} copies it over the upper triangle once the sum is complete.
 *
 * <p>{@link #accumulateLower(Tensor, float[], Parallel)} is the one entry point a backend
 * substitutes (a GPU XᵀX): activations in, accumulator updated. Results are bit-identical for any
 * thread count; F32 accumulation per call in token order blocks of the packed GEMM.
 */
public final class SymmetricRankK {
    private SymmetricRankK() {
    }

    /** Lower triangle of {@code h [in, in]} += XᵀX for {@code activations [tokens, in]} (any float dtype, any leading dims). */
    public static void accumulateLower(Tensor activations, float[] h, Parallel parallel) {
        if (activations.rank() < 1) throw new IllegalArgumentException("activations need a feature axis, got a scalar");
        int in = Math.toIntExact(activations.shape().last());
        int tokens = in == 0 ? 0 : Math.toIntExact(activations.elementCount() / in);
        accumulateLower(TensorConversion.toFloatArray(activations), tokens, in, h, parallel);
    }

    /** Lower triangle of {@code h [in, in]} += XᵀX for row-major {@code x [tokens, in]}. */
    public static void accumulateLower(float[] x, int tokens, int in, float[] h, Parallel parallel) {
        if ((long) tokens * in > x.length) throw new IllegalArgumentException(tokens + "x" + in + " activations in an array of " + x.length);
        if ((long) in * in != h.length) throw new IllegalArgumentException("accumulator of " + h.length + " floats is not " + in + "x" + in);
        if (tokens == 0 || in == 0) return;
        FloatMatrix xt = new FloatMatrix(x, 0, 1, in, in, tokens);
        FloatMatrix rows = new FloatMatrix(x, 0, in, 1, tokens, in);
        LowerUpdate.add(h, 0, in, xt, rows, LowerUpdate.WIDE, parallel);
    }

    /** Copies the strict lower triangle of the row-major {@code [n, n]} matrix over its upper triangle. */
    public static void mirrorLower(float[] a, int n) {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
    }
}
