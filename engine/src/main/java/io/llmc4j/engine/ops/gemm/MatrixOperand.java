package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * A read-only 2-D view {@code [rows, cols]} of F32, BF16 or F16 data for the GEMM packers: element
 * {@code (r, c)} lives at byte {@code byteOffset + (r·rowStride + c·colStride)·dtype.byteSize()} of
 * {@code segment}. Strides count elements and may be anything (a transposed view simply swaps them),
 * so no operand is ever copied to change its layout. The segment stays owned by the tensor it came
 * from.
 */
record MatrixOperand(MemorySegment segment, DType dtype, long byteOffset, long rowStride, long colStride, int rows, int cols) {

    MatrixOperand {
        if (dtype != DType.F32 && dtype != DType.BF16 && dtype != DType.F16)
            throw new IllegalArgumentException("GEMM operands are F32, BF16 or F16, got " + dtype);
    }

    /** The rank-2 tensor {@code t} as it is laid out. */
    static MatrixOperand of(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("GEMM operand must be 2-D, got " + t.shape());
        return new MatrixOperand(t.segment(), t.dtype(), t.byteOffset(), t.stride(0), t.stride(1),
                Math.toIntExact(t.dim(0)), Math.toIntExact(t.dim(1)));
    }

    /** The transpose of this view (no data moves). */
    MatrixOperand transposed() {
        return new MatrixOperand(segment, dtype, byteOffset, colStride, rowStride, cols, rows);
    }

    /** Byte offset of element {@code (r, c)} in {@link #segment()}. */
    long byteAt(long r, long c) {
        return byteOffset + (r * rowStride + c * colStride) * dtype.byteSize();
    }

    /** Element {@code (r, c)} widened to float. */
    float get(long r, long c) {
        long at = byteAt(r, c);
        return switch (dtype) {
            case F32 -> segment.get(Tensor.F32, at);
            case BF16 -> Float.intBitsToFloat(segment.get(Tensor.I16, at) << 16);
            default -> Float.float16ToFloat(segment.get(Tensor.I16, at));
        };
    }
}
