package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * A read-only 2-D view {@code [rows, cols]} of F32, BF16 or F16 data for the GEMM packers: element
 * {@code (r, c)} is element {@code r·rowStride + c·colStride} of {@code data}. Strides count elements
 * and may be anything (a transposed view simply swaps them), so no operand is ever copied to change
 * its layout. The memory stays owned by the tensor it came from.
 */
record MatrixOperand(FloatData data, long rowStride, long colStride, int rows, int cols) {

    /** The rank-2 tensor {@code t} (F32, BF16 or F16) as it is laid out. */
    static MatrixOperand of(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("GEMM operand must be 2-D, got " + t.shape());
        if (t.dtype() != DType.F32 && t.dtype() != DType.BF16 && t.dtype() != DType.F16)
            throw new IllegalArgumentException("GEMM operands are F32, BF16 or F16, got " + t.dtype());
        return new MatrixOperand(FloatData.of(t.dtype(), t.segment(), t.byteOffset()), t.stride(0), t.stride(1),
                Math.toIntExact(t.dim(0)), Math.toIntExact(t.dim(1)));
    }

    DType dtype() {
        return data.dtype();
    }

    /** Rows {@code [first, first + count)} of this view (no data moves). */
    MatrixOperand rows(int first, int count) {
        return new MatrixOperand(data.from(index(first, 0)), rowStride, colStride, count, cols);
    }

    /** The transpose of this view (no data moves). */
    MatrixOperand transposed() {
        return new MatrixOperand(data, colStride, rowStride, cols, rows);
    }

    /** Index of element {@code (r, c)} in {@link #data()}. */
    long index(long r, long c) {
        return r * rowStride + c * colStride;
    }

    /** Element {@code (r, c)} widened to float. */
    float get(long r, long c) {
        return data.get(index(r, c));
    }
}
