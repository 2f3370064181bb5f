package io.llmc4j.engine.ops.elementwise;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise {@code a + b} and {@code a · b} with suffix broadcasting: b's shape must equal a's
 * trailing dims (same shape, or e.g. {@code [hidden]} against {@code [batch, tokens, hidden]}), and
 * b repeats along a's leading dims. Inputs: any dtype and layout (F32/BF16/F16 read in place when
 * contiguous); result: a new contiguous F32 heap tensor of a's shape. Each result is the correctly
 * rounded float sum/product, bit-identical to {@code ReferenceKernels}. Thread-safe.
 */
public final class Binary {
    /** The operation applied to each pair. */
    public enum Op { ADD, MUL }

    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;
    private static final long CHUNK = 1 << 16;
    private static final long MIN_PERIOD = 1024;
    private static final long PIECE = 1 << 14;
    private static final WindowPool WINDOWS = new WindowPool(3);

    private Binary() {
    }

    public static Tensor apply(Op op, Tensor a, Tensor b, Parallel parallel) {
        if (!isSuffix(b.shape(), a.shape()))
            throw new IllegalArgumentException(op.name().toLowerCase() + ": shape " + b.shape() + " does not broadcast to " + a.shape()
                    + " (b's shape must equal a's trailing dims)");
        Tensor out = Tensor.allocate(DType.F32, a.shape().toArray());
        long n = a.elementCount();
        if (n == 0) return out;
        FloatData x = FloatData.of(TensorConversion.contiguousFloat(a, parallel)), z = FloatData.of(out);
        // A short b is tiled into one longer period, so that rows are long enough to vectorize.
        long period = b.elementCount();
        FloatData y;
        if (period < MIN_PERIOD) {
            float[] values = TensorConversion.toFloatArray(b);
            float[] tiled = new float[(int) (period * ((MIN_PERIOD + period - 1) / period))];
            for (int i = 0; i < tiled.length; i++) tiled[i] = values[(int) (i % period)];
            y = FloatData.of(tiled, 0);
            period = tiled.length;
        } else {
            y = FloatData.of(TensorConversion.contiguousFloat(b, parallel));
        }
        // Work is cut into pieces of at most PIECE elements that never cross a period of b.
        long rowLength = period, rows = (n + period - 1) / period;
        long piecesPerRow = (rowLength + PIECE - 1) / PIECE, pieces = rows * piecesPerRow;
        long piecesPerTask = Math.max(1, CHUNK / Math.min(rowLength, PIECE));
        parallel.forEach(Parallel.chunkCount(pieces, piecesPerTask), task -> {
            Window[] windows = WINDOWS.get();
            Window in = windows[0], repeated = windows[1], target = windows[2];
            long first = task * piecesPerTask, last = Math.min(pieces, first + piecesPerTask);
            for (long piece = first; piece < last; piece++) {
                long column = piece % piecesPerRow * PIECE, start = piece / piecesPerRow * rowLength + column;
                int count = (int) Math.min(Math.min(PIECE, rowLength - column), n - start);
                if (count <= 0) continue;
                x.read(start, count, in);
                y.read(column, count, repeated);
                z.writable(start, count, target);
                row(op, in.array(), in.offset(), repeated.array(), repeated.offset(), target.array(), target.offset(), count);
                z.commit(start, count, target);
            }
        });
        return out;
    }

    /** z[zAt + i] = x[xAt + i] op y[yAt + i] for i < count. */
    private static void row(Op op, float[] x, int xAt, float[] y, int yAt, float[] z, int zAt, int count) {
        int i = 0;
        for (int end = count - count % LANES; i < end; i += LANES) {
            FloatVector u = FloatVector.fromArray(S, x, xAt + i), v = FloatVector.fromArray(S, y, yAt + i);
            (op == Op.ADD ? u.add(v) : u.mul(v)).intoArray(z, zAt + i);
        }
        for (; i < count; i++) z[zAt + i] = op == Op.ADD ? x[xAt + i] + y[yAt + i] : x[xAt + i] * y[yAt + i];
    }

    static boolean isSuffix(Shape suffix, Shape of) {
        if (suffix.rank() > of.rank()) return false;
        for (int i = 1; i <= suffix.rank(); i++) if (suffix.dim(-i) != of.dim(-i)) return false;
        return true;
    }
}
