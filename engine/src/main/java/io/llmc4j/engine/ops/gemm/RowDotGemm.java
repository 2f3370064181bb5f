package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.FloatLoads;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * GEMM for a few rows of A against B whose columns are contiguous along k (a Linear weight
 * {@code [out, in]}): each output is a dot product of an A row with a weight row, read straight from
 * the weight in its own dtype. With so few rows the packed path would mostly multiply padding, and
 * this path reads the weight exactly once (token-by-token generation is memory bound).
 *
 * <p>Columns are split into tasks of {@value #COLUMNS_PER_TASK}; within a task four weight rows are
 * dotted with each A row at once (four accumulators over k, then a lane reduction and a scalar tail),
 * so each result depends only on the data. {@code C += A · B}, as in {@link GemmDriver}.
 */
final class RowDotGemm {
    /** The largest row count of A routed here. */
    static final int MAX_ROWS = 5;
    private static final int COLUMNS_PER_TASK = 64;
    private static final int LANES = FloatLoads.LANES;

    private RowDotGemm() {
    }

    /** Whether this path handles {@code a · b}. */
    static boolean accepts(MatrixOperand a, MatrixOperand b) {
        return a.rows() <= MAX_ROWS && b.rowStride() == 1;
    }

    static void multiply(MatrixOperand a, MatrixOperand b, MemorySegment c, long cAt, long ldc, Parallel parallel) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (m == 0 || n == 0) return;
        float[] rows = new float[Math.multiplyExact(m, k)];
        Packing.packRows(a, rows);
        parallel.forEach(Parallel.chunkCount(n, COLUMNS_PER_TASK), task -> {
            int first = task * COLUMNS_PER_TASK, last = Math.min(n, first + COLUMNS_PER_TASK);
            int j = first;
            for (; j + 4 <= last; j += 4)
                for (int i = 0; i < m; i++) dot4(rows, i * k, k, b, j, c, cAt + (i * ldc + j) * 4L);
            for (; j < last; j++)
                for (int i = 0; i < m; i++) {
                    long at = cAt + (i * ldc + j) * 4L;
                    c.set(Tensor.F32, at, c.get(Tensor.F32, at) + dot(rows, i * k, k, b, j));
                }
        });
    }

    private static void dot4(float[] x, int xAt, int k, MatrixOperand w, int j, MemorySegment c, long cAt) {
        DType dtype = w.dtype();
        MemorySegment s = w.segment();
        int width = dtype.byteSize();
        long w0 = w.byteAt(0, j), w1 = w.byteAt(0, j + 1), w2 = w.byteAt(0, j + 2), w3 = w.byteAt(0, j + 3);
        FloatVector acc0 = FloatVector.zero(FloatLoads.SPECIES), acc1 = FloatVector.zero(FloatLoads.SPECIES);
        FloatVector acc2 = FloatVector.zero(FloatLoads.SPECIES), acc3 = FloatVector.zero(FloatLoads.SPECIES);
        int p = 0;
        for (int end = k - k % LANES; p < end; p += LANES) {
            FloatVector xv = FloatVector.fromArray(FloatLoads.SPECIES, x, xAt + p);
            long at = (long) p * width;
            acc0 = xv.fma(FloatLoads.load(dtype, s, w0 + at), acc0);
            acc1 = xv.fma(FloatLoads.load(dtype, s, w1 + at), acc1);
            acc2 = xv.fma(FloatLoads.load(dtype, s, w2 + at), acc2);
            acc3 = xv.fma(FloatLoads.load(dtype, s, w3 + at), acc3);
        }
        float s0 = VectorMath.sum(acc0), s1 = VectorMath.sum(acc1);
        float s2 = VectorMath.sum(acc2), s3 = VectorMath.sum(acc3);
        for (; p < k; p++) {
            float xv = x[xAt + p];
            long at = (long) p * width;
            s0 = Math.fma(xv, FloatLoads.get(dtype, s, w0 + at), s0);
            s1 = Math.fma(xv, FloatLoads.get(dtype, s, w1 + at), s1);
            s2 = Math.fma(xv, FloatLoads.get(dtype, s, w2 + at), s2);
            s3 = Math.fma(xv, FloatLoads.get(dtype, s, w3 + at), s3);
        }
        c.set(Tensor.F32, cAt, c.get(Tensor.F32, cAt) + s0);
        c.set(Tensor.F32, cAt + 4, c.get(Tensor.F32, cAt + 4) + s1);
        c.set(Tensor.F32, cAt + 8, c.get(Tensor.F32, cAt + 8) + s2);
        c.set(Tensor.F32, cAt + 12, c.get(Tensor.F32, cAt + 12) + s3);
    }

    private static float dot(float[] x, int xAt, int k, MatrixOperand w, int j) {
        DType dtype = w.dtype();
        MemorySegment s = w.segment();
        long w0 = w.byteAt(0, j);
        int width = dtype.byteSize();
        FloatVector acc = FloatVector.zero(FloatLoads.SPECIES);
        int p = 0;
        for (int end = k - k % LANES; p < end; p += LANES)
            acc = FloatVector.fromArray(FloatLoads.SPECIES, x, xAt + p).fma(FloatLoads.load(dtype, s, w0 + (long) p * width), acc);
        float sum = VectorMath.sum(acc);
        for (; p < k; p++) sum = Math.fma(x[xAt + p], FloatLoads.get(dtype, s, w0 + (long) p * width), sum);
        return sum;
    }
}
