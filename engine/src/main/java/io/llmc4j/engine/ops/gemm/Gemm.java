package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

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
    private static final long STAGED_FLOATS = 1 << 24;

    private Gemm() {
    }

    /** y = x·Wᵀ + b. x {@code [..., in]}, weight {@code [out, in]}, bias {@code [out]} or null; returns {@code [..., out]}. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Parallel parallel) {
        Tensor y = Tensor.allocate(DType.F32, linearShape(x, weight, bias));
        accumulateLinear(x, weight, bias, y, parallel);
        return y;
    }

    /**
     * {@link #linear} into a caller-owned output: {@code out} must be a contiguous F32 tensor of shape
     * {@code [..., out]}; its previous contents are overwritten.
     */
    public static void linearInto(Tensor x, Tensor weight, Tensor bias, Tensor out, Parallel parallel) {
        long[] outDims = linearShape(x, weight, bias);
        if (out.dtype() != DType.F32 || !out.isContiguous() || !out.shape().equals(Shape.of(outDims)))
            throw new IllegalArgumentException("linear: output " + out.dtype() + out.shape() + " must be contiguous F32 " + Arrays.toString(outDims));
        out.segment().asSlice(out.byteOffset(), out.byteSize()).fill((byte) 0);
        accumulateLinear(x, weight, bias, out, parallel);
    }

    /** out (zero on entry, checked shapes) += bias + x·Wᵀ. */
    private static void accumulateLinear(Tensor x, Tensor weight, Tensor bias, Tensor out, Parallel parallel) {
        Tensor rows = asRows(x, x.shape().last());
        if (bias != null) fillRows(out, TensorConversion.toFloatArray(bias), rows.dim(0));
        multiply(operand(rows, parallel), operand(weight, parallel).transposed(), out.segment(), out.byteOffset(), weight.dim(0), parallel);
    }

    /** C = A·B for A {@code [M, K]}, B {@code [K, N]}; returns {@code [M, N]}. */
    public static Tensor matmul(Tensor a, Tensor b, Parallel parallel) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0))
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape() + " do not chain");
        Tensor c = Tensor.allocate(DType.F32, a.dim(0), b.dim(1));
        multiply(operand(a, parallel), operand(b, parallel), c.segment(), c.byteOffset(), b.dim(1), parallel);
        return c;
    }

    /** {@link #matmul} into a caller-owned contiguous F32 {@code [M, N]} output, overwritten. */
    public static void matmulInto(Tensor a, Tensor b, Tensor c, Parallel parallel) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0))
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape() + " do not chain");
        if (c.dtype() != DType.F32 || !c.isContiguous() || c.rank() != 2 || c.dim(0) != a.dim(0) || c.dim(1) != b.dim(1))
            throw new IllegalArgumentException("matmul: output " + c.dtype() + c.shape() + " must be contiguous F32 [" + a.dim(0) + ", " + b.dim(1) + "]");
        c.segment().asSlice(c.byteOffset(), c.byteSize()).fill((byte) 0);
        multiply(operand(a, parallel), operand(b, parallel), c.segment(), c.byteOffset(), b.dim(1), parallel);
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

    /**
     * {@code C += A·B} on heap matrices: a {@code [M, K]}, b {@code [K, N]} (any strides), C row i
     * starting at {@code c[cAt + i·ldc]}. C must not overlap A or B. The same packed kernels as
     * {@link #matmul}, so the result does not depend on the thread count.
     */
    public static void multiplyAdd(FloatMatrix a, FloatMatrix b, float[] c, int cAt, int ldc, Parallel parallel) {
        if (a.cols() != b.rows()) throw new IllegalArgumentException("GEMM inner sizes differ: A is " + a.rows() + "x" + a.cols() + ", B is " + b.rows() + "x" + b.cols());
        if (a.rows() == 0 || b.cols() == 0 || a.cols() == 0) return;
        if (ldc < b.cols() || cAt < 0 || (long) cAt + (long) (a.rows() - 1) * ldc + b.cols() > c.length)
            throw new IllegalArgumentException("C of " + a.rows() + "x" + b.cols() + " (ldc " + ldc + ") at " + cAt + " leaves an array of " + c.length);
        MatrixOperand left = a.operand(), right = b.operand();
        if (RowDotGemm.accepts(left, right)) RowDotGemm.multiply(left, right, c, cAt, ldc, parallel);
        else GemmDriver.multiply(left, right, c, cAt, ldc, parallel);
    }

    /** {@code C += A·B} into F32 rows of {@code ldc} elements at byte {@code cAt} of {@code c}. */
    static void multiply(MatrixOperand a, MatrixOperand b, MemorySegment c, long cAt, long ldc, Parallel parallel) {
        // The kernels accumulate into a float[]: C itself when it is one (heap F32), else staged
        // copies of at most STAGED_FLOATS, a band of rows at a time.
        FloatData target = FloatData.of(DType.F32, c, cAt);
        int m = a.rows();
        long bandRows = target.isFloatArray() ? m : Math.max(1, STAGED_FLOATS / Math.max(1, ldc));
        for (int first = 0; first < m; first += (int) Math.min(bandRows, m - first)) {
            int rows = (int) Math.min(bandRows, m - first);
            FloatData band = target.from(first * ldc);
            int count = Math.toIntExact(Math.multiplyExact((long) rows, ldc));
            Window window = band.read(0, count, new Window());
            MatrixOperand part = rows == m ? a : a.rows(first, rows);
            int ldcInt = Math.toIntExact(ldc);
            if (RowDotGemm.accepts(part, b)) RowDotGemm.multiply(part, b, window.array(), window.offset(), ldcInt, parallel);
            else GemmDriver.multiply(part, b, window.array(), window.offset(), ldcInt, parallel);
            band.commit(0, count, window);
        }
    }

    /** The output dims of {@code linear(x, weight, bias)}, after checking that the shapes fit. */
    private static long[] linearShape(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() < 1) throw new IllegalArgumentException("linear: input must have a feature axis, got a scalar");
        long in = x.shape().last();
        if (weight.rank() != 2 || weight.dim(1) != in)
            throw new IllegalArgumentException("linear: weight " + weight.shape() + " does not match the " + in + " input features of x " + x.shape());
        long out = weight.dim(0);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != out))
            throw new IllegalArgumentException("linear: bias " + bias.shape() + " does not match the " + out + " outputs of weight " + weight.shape());
        long[] outDims = x.shape().toArray();
        outDims[outDims.length - 1] = out;
        return outDims;
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
