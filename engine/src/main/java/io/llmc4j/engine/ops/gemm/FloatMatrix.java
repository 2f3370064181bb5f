package io.llmc4j.engine.ops.gemm;

/**
 * A 2-D view {@code [rows, cols]} of a heap {@code float[]}: element {@code (r, c)} is
 * {@code data[offset + r·rowStride + c·colStride]}. Strides may be anything (a transpose swaps
 * them), so sub-blocks and transposes of a row-major matrix are views, never copies. The array stays
 * owned by the caller.
 */
public record FloatMatrix(float[] data, int offset, int rowStride, int colStride, int rows, int cols) {

    public FloatMatrix {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative matrix size " + rows + "x" + cols);
        if (rows > 0 && cols > 0) {
            long last = offset + (long) (rows - 1) * rowStride + (long) (cols - 1) * colStride;
            if (offset < 0 || last < 0 || last >= data.length || (long) offset + (rows - 1L) * rowStride < 0 || (long) offset + (cols - 1L) * colStride < 0)
                throw new IllegalArgumentException("matrix view " + rows + "x" + cols + " at " + offset + " (strides " + rowStride + ", " + colStride
                        + ") leaves an array of " + data.length);
        }
    }

    /** The row-major block {@code [rows, cols]} at {@code (row, col)} of a row-major matrix with {@code ld} columns. */
    public static FloatMatrix block(float[] data, int ld, int row, int col, int rows, int cols) {
        return new FloatMatrix(data, row * ld + col, ld, 1, rows, cols);
    }

    /** The same view moved {@code delta} elements further into the array. */
    public FloatMatrix offsetBy(int delta) {
        return new FloatMatrix(data, offset + delta, rowStride, colStride, rows, cols);
    }

    /** The transpose of this view (no data moves). */
    public FloatMatrix transposed() {
        return new FloatMatrix(data, offset, colStride, rowStride, cols, rows);
    }

    MatrixOperand operand() {
        return new MatrixOperand(io.llmc4j.engine.ops.memory.FloatData.of(data, offset), rowStride, colStride, rows, cols);
    }
}
