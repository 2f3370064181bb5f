package io.llmc4j.engine.ops.reduce;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * Sum, max, min and abs-max along one axis, returning an F32 tensor of the remaining shape (as
 * {@code ReferenceKernels.reduce}). x may be any dtype and layout; F32, BF16 and F16 are read in
 * place (widened in vector registers), so reducing a contiguous BF16 weight never makes an F32 copy
 * of it.
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
    private static final WindowPool WINDOWS = new WindowPool(1);

    private AxisReduction() {
    }

    public static Tensor apply(Reduction reduction, Tensor x, int axis, Parallel parallel) {
        int a = x.shape().normalizeAxis(axis);
        Tensor in = TensorConversion.contiguousFloat(x, parallel);
        Tensor out = Tensor.allocate(DType.F32, x.shape().without(a).toArray());
        long n = x.dim(a), outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= x.dim(i);
        for (int i = a + 1; i < x.rank(); i++) inner *= x.dim(i);
        if (out.elementCount() == 0 || n == 0) return out;   // an empty axis reduces to 0, as in the reference
        RowReducer reducer = new RowReducer(reduction, FloatData.of(in));
        float[] target = new float[Math.toIntExact(out.elementCount())];
        if (inner == 1) reduceRows(reducer, outer, n, target, parallel);
        else reduceColumns(reducer, outer, n, inner, target, parallel);
        FloatData.of(out).write(0, target, 0, target.length);
        return out;
    }

    private static void reduceRows(RowReducer reducer, long rows, long n, float[] out, Parallel parallel) {
        int chunksPerRow = Parallel.chunkCount(n, RowReducer.CHUNK);
        if (chunksPerRow == 1) {
            long rowsPerTask = Math.max(1, RowReducer.CHUNK / n);
            parallel.forEach(Parallel.chunkCount(rows, rowsPerTask), task -> {
                long first = task * rowsPerTask, last = Math.min(rows, first + rowsPerTask);
                for (long r = first; r < last; r++) out[(int) r] = reducer.reduce(r * n, n);
            });
            return;
        }
        float[] partials = new float[Math.multiplyExact(Math.toIntExact(rows), chunksPerRow)];
        parallel.forEach(partials.length, task -> {
            long r = task / chunksPerRow, start = (long) (task % chunksPerRow) * RowReducer.CHUNK;
            partials[task] = reducer.reduce(r * n + start, Math.min(RowReducer.CHUNK, n - start));
        });
        for (int r = 0; r < rows; r++) {
            float acc = partials[r * chunksPerRow];
            for (int c = 1; c < chunksPerRow; c++) acc = reducer.combine(acc, partials[r * chunksPerRow + c]);
            out[r] = acc;
        }
    }

    private static void reduceColumns(RowReducer reducer, long outer, long n, long inner, float[] out, Parallel parallel) {
        int slices = Parallel.chunkCount(inner, COLUMNS);
        parallel.forEach(Math.multiplyExact(Math.toIntExact(outer), slices), task -> {
            long o = task / slices, start = (long) (task % slices) * COLUMNS;
            int count = (int) Math.min(COLUMNS, inner - start);
            float[] acc = new float[count];
            Arrays.fill(acc, reducer.identity());
            Window window = WINDOWS.first();
            for (long r = 0; r < n; r++) reducer.accumulate(acc, (o * n + r) * inner + start, window);
            System.arraycopy(acc, 0, out, (int) (o * inner + start), count);
        });
    }
}
