package io.llmc4j.engine.ops.reduce;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.ops.convert.DTypeConversions;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Sum, max, min and abs-max along one axis, returning an F32 tensor of the remaining shape (as
 * {@code ReferenceKernels.reduce}). x may be any dtype and layout; F32, BF16 and F16 are read in
 * place (widened in vector registers) when contiguous, so reducing a BF16 weight never makes an F32
 * copy of it.
 *
 * <p>A contiguous x is seen as {@code [outer, n, inner]} with n the reduced axis:
 * <ul>
 *   <li>{@code inner == 1} (last axis): each row is cut into chunks of {@value RowReducer#CHUNK}
 *       elements; chunk partials are combined in chunk order.</li>
 *   <li>{@code inner > 1}: output slices of {@value #COLUMNS} columns are reduced row by row
 *       ({@code acc[i] = op(acc[i], x[o, r, i])} for r in order), streaming x sequentially.</li>
 * </ul>
 * Chunks and slices are fixed by the sizes, so results are bit-identical for any thread count.
 * Max/min/abs-max propagate NaN like {@link Math#max}; reducing an empty axis gives 0.
 * Thread-safe.
 */
public final class AxisReduction {
    private static final int COLUMNS = 1024;

    private AxisReduction() {
    }

    public static Tensor apply(Reduction reduction, Tensor x, int axis, Parallel parallel) {
        int a = x.shape().normalizeAxis(axis);
        Tensor in = switch (x.dtype()) {
            case F32, BF16, F16 -> x.contiguous();
            default -> TensorConversion.contiguousF32(x, parallel);
        };
        Tensor out = Tensor.allocate(DType.F32, x.shape().without(a).toArray());
        long n = x.dim(a), outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= x.dim(i);
        for (int i = a + 1; i < x.rank(); i++) inner *= x.dim(i);
        if (out.elementCount() == 0 || n == 0) return out;   // an empty axis reduces to 0, as in the reference
        RowReducer reducer = new RowReducer(reduction, in.dtype(), in.segment());
        if (inner == 1) reduceRows(reducer, in.byteOffset(), outer, n, out.segment(), parallel);
        else reduceColumns(reducer, in.byteOffset(), outer, n, inner, out.segment(), parallel);
        return out;
    }

    private static void reduceRows(RowReducer reducer, long at, long rows, long n, MemorySegment out, Parallel parallel) {
        int width = reducer.dtype().byteSize();
        int chunksPerRow = Parallel.chunkCount(n, RowReducer.CHUNK);
        if (chunksPerRow == 1) {
            long rowsPerTask = Math.max(1, RowReducer.CHUNK / Math.max(1, n));
            parallel.forEach(Parallel.chunkCount(rows, rowsPerTask), task -> {
                long first = task * rowsPerTask, last = Math.min(rows, first + rowsPerTask);
                for (long r = first; r < last; r++) out.set(Tensor.F32, 4 * r, reducer.reduce(at + r * n * width, n));
            });
            return;
        }
        float[] partials = new float[Math.multiplyExact(Math.toIntExact(rows), chunksPerRow)];
        parallel.forEach(partials.length, task -> {
            long r = task / chunksPerRow, start = (long) (task % chunksPerRow) * RowReducer.CHUNK;
            partials[task] = reducer.reduce(at + (r * n + start) * width, Math.min(RowReducer.CHUNK, n - start));
        });
        for (int r = 0; r < rows; r++) {
            float acc = partials[r * chunksPerRow];
            for (int c = 1; c < chunksPerRow; c++) acc = reducer.combine(acc, partials[r * chunksPerRow + c]);
            out.set(Tensor.F32, 4L * r, acc);
        }
    }

    private static void reduceColumns(RowReducer reducer, long at, long outer, long n, long inner, MemorySegment out, Parallel parallel) {
        int width = reducer.dtype().byteSize();
        int slices = Parallel.chunkCount(inner, COLUMNS);
        parallel.forEach(Math.multiplyExact(Math.toIntExact(outer), slices), task -> {
            long o = task / slices, start = (long) (task % slices) * COLUMNS;
            int count = (int) Math.min(COLUMNS, inner - start);
            float[] acc = new float[count];
            java.util.Arrays.fill(acc, reducer.identity());
            MemorySegment rowSegment = reducer.segment();
            float[] converted = reducer.dtype() == DType.F32 ? null : new float[count];
            for (long r = 0; r < n; r++) {
                long rowAt = at + ((o * n + r) * inner + start) * width;
                if (converted != null) {
                    DTypeConversions.toF32(reducer.dtype(), rowSegment, rowAt, converted, 0, count);
                    reducer.accumulate(acc, MemorySegment.ofArray(converted), 0);
                } else {
                    reducer.accumulate(acc, rowSegment, rowAt);
                }
            }
            MemorySegment.copy(acc, 0, out, Tensor.F32, 4 * (o * inner + start), count);
        });
    }
}
