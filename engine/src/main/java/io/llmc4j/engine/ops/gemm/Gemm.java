package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Matrix products on tensors: Linear ({@code x·Wᵀ + b}), plain and batched matmul. F32 results,
 * F32 accumulation; operands may be F32, BF16 or F16 in any strided layout (they are read in place
 * and converted block by block while packing; other dtypes are first converted to F32). Results are
 * new contiguous heap tensors, bit-identical for any thread count of the {@link Parallel} pool.
 *
 * <p>Routing: a few rows against a weight stored {@code [out, in]} go to {@link RowDotGemm} (dot
 * products straight from the weight); everything else to the packed, register-tiled
 * {@link GemmDriver}. Matches {@code ReferenceKernels.linear/matmul} up to float rounding (tolerance
 * relative to {@code Σ|aᵢ·bᵢ|}). Stateless, thread-safe.
 */
public final class Gemm {
    private Gemm() {
    }

    /** y = x·Wᵀ + b. x {@code [..., in]}, weight {@code [out, in]}, bias {@code [out]} or null; returns {@code [..., out]}. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Parallel parallel) {
        if (x.rank() < 1) throw new IllegalArgumentException("linear: input must have a feature axis, got a scalar");
        long in = x.shape().last();
        if (weight.rank() != 2 || weight.dim(1) != in)
            throw new IllegalArgumentException("linear: weight " + weight.shape() + " does not match the " + in + " input features of x " + x.shape());
        long out = weight.dim(0);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != out))
            throw new IllegalArgumentException("linear: bias " + bias.shape() + " does not match the " + out + " outputs of weight " + weight.shape());
        Tensor rows = asRows(x, in);
        long[] outDims = x.shape().toArray();
        outDims[outDims.length - 1] = out;
        Tensor y = Tensor.allocate(DType.F32, outDims);
        if (bias != null) fillRows(y, TensorConversion.toFloatArray(bias), rows.dim(0));
        multiply(operand(rows, parallel), operand(weight, parallel).transposed(), y.segment(), y.byteOffset(), out, parallel);
        return y;
    }

    /** C = A·B for A {@code [M, K]}, B {@code [K, N]}; returns {@code [M, N]}. */
    public static Tensor matmul(Tensor a, Tensor b, Parallel parallel) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0))
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape() + " do not chain");
        Tensor c = Tensor.allocate(DType.F32, a.dim(0), b.dim(1));
        multiply(operand(a, parallel), operand(b, parallel), c.segment(), c.byteOffset(), b.dim(1), parallel);
        return c;
    }

    /**
     * Batched C = A·B: a {@code [..., M, K]}, b {@code [..., K, N]} with equal leading dims, or b
     * {@code [K, N]} shared by every batch; returns {@code [..., M, N]}.
     */
    public static Tensor batchedMatmul(Tensor a, Tensor b, Parallel parallel) {
        if (a.rank() < 2 || b.rank() < 2)
            throw new IllegalArgumentException("batched matmul: operands need rank >= 2, got " + a.shape() + " and " + b.shape());
        boolean shared = b.rank() == 2;
        if (!shared && (b.rank() != a.rank() || !a.shape().without(-1).without(-1).equals(b.shape().without(-1).without(-1))))
            throw new IllegalArgumentException("batched matmul: batch dims of " + a.shape() + " and " + b.shape() + " differ");
        if (a.dim(-1) != b.dim(-2))
            throw new IllegalArgumentException("batched matmul: shapes " + a.shape() + " and " + b.shape() + " do not chain");
        long m = a.dim(-2), n = b.dim(-1);
        long[] outDims = a.shape().toArray();
        outDims[outDims.length - 1] = n;
        Tensor c = Tensor.allocate(DType.F32, outDims);
        long batches = c.elementCount() == 0 ? 0 : c.elementCount() / Math.max(1, m * n);
        long[] index = new long[a.rank() - 2];
        for (long batch = 0; batch < batches; batch++) {
            Tensor ai = a, bi = b;
            for (int axis = 0; axis < index.length; axis++) {
                ai = ai.select(0, index[axis]);
                if (!shared) bi = bi.select(0, index[axis]);
            }
            multiply(operand(ai, parallel), operand(bi, parallel), c.segment(), c.byteOffset() + batch * m * n * 4, n, parallel);
            for (int axis = index.length - 1; axis >= 0 && ++index[axis] == a.dim(axis); axis--) index[axis] = 0;
        }
        return c;
    }

    /** {@code C += A·B} into F32 rows of {@code ldc} elements at byte {@code cAt} of {@code c}. */
    static void multiply(MatrixOperand a, MatrixOperand b, MemorySegment c, long cAt, long ldc, Parallel parallel) {
        if (RowDotGemm.accepts(a, b)) RowDotGemm.multiply(a, b, c, cAt, ldc, parallel);
        else GemmDriver.multiply(a, b, c, cAt, ldc, parallel);
    }

    /** x as a 2-D {@code [rows, in]} tensor: itself when 2-D (any strides), else a contiguous reshape. */
    private static Tensor asRows(Tensor x, long in) {
        if (x.rank() == 2) return x;
        long rows = 1;
        for (int axis = 0; axis < x.rank() - 1; axis++) rows = Math.multiplyExact(rows, x.dim(axis));
        return x.contiguous().reshape(rows, in);
    }

    private static MatrixOperand operand(Tensor t, Parallel parallel) {
        return switch (t.dtype()) {
            case F32, BF16, F16 -> MatrixOperand.of(t);
            default -> MatrixOperand.of(TensorConversion.contiguousF32(t, parallel));
        };
    }

    private static void fillRows(Tensor y, float[] row, long rows) {
        MemorySegment s = y.segment();
        for (long r = 0; r < rows; r++) MemorySegment.copy(row, 0, s, Tensor.F32, y.byteOffset() + r * row.length * 4L, row.length);
    }
}
