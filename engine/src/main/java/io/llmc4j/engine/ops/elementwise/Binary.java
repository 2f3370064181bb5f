package io.llmc4j.engine.ops.elementwise;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.FloatLoads;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise {@code a + b} and {@code a · b} with suffix broadcasting: b's shape must equal a's
 * trailing dims (same shape, or e.g. {@code [hidden]} against {@code [batch, tokens, hidden]}), and
 * b repeats along a's leading dims. Inputs: any float dtype, any layout (converted to contiguous F32
 * first when needed); result: a new contiguous F32 heap tensor of a's shape. Each result is the
 * correctly rounded float sum/product, bit-identical to {@code ReferenceKernels}. Thread-safe.
 */
public final class Binary {
    /** The operation applied to each pair. */
    public enum Op { ADD, MUL }

    private static final VectorSpecies<Float> S = FloatLoads.SPECIES;
    private static final int LANES = FloatLoads.LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final long CHUNK = 1 << 16;
    private static final long MIN_PERIOD = 1024;

    private Binary() {
    }

    public static Tensor apply(Op op, Tensor a, Tensor b, Parallel parallel) {
        if (!isSuffix(b.shape(), a.shape()))
            throw new IllegalArgumentException(op.name().toLowerCase() + ": shape " + b.shape() + " does not broadcast to " + a.shape()
                    + " (b's shape must equal a's trailing dims)");
        Tensor as = TensorConversion.contiguousF32(a, parallel), bs = TensorConversion.contiguousF32(b, parallel);
        Tensor out = Tensor.allocate(DType.F32, a.shape().toArray());
        long n = a.elementCount(), period = b.elementCount();
        if (n == 0) return out;
        MemorySegment x = as.segment(), y = bs.segment(), z = out.segment();
        long xAt = as.byteOffset(), yAt = bs.byteOffset();
        if (period < MIN_PERIOD) {
            // A short b is tiled into one longer period, so rows are long enough to vectorize.
            float[] values = TensorConversion.toFloatArray(bs);
            float[] tiled = new float[(int) (period * ((MIN_PERIOD + period - 1) / period))];
            for (int i = 0; i < tiled.length; i++) tiled[i] = values[(int) (i % period)];
            y = MemorySegment.ofArray(tiled);
            yAt = 0;
            period = tiled.length;
        }
        long rowLength = period, rows = (n + period - 1) / period, yStart = yAt;
        MemorySegment yTiled = y;
        // Chunks hold whole periods of b, so each row restarts b at element 0.
        long rowsPerChunk = Math.max(1, CHUNK / period);
        parallel.forEach(Parallel.chunkCount(rows, rowsPerChunk), chunk -> {
            long first = chunk * rowsPerChunk, last = Math.min(rows, first + rowsPerChunk);
            for (long r = first; r < last; r++) {
                long at = r * rowLength * 4;
                row(op, x, xAt + at, yTiled, yStart, z, at, Math.min(rowLength, n - r * rowLength));
            }
        });
        return out;
    }

    /** z[i] = x[i] op y[i] for i < count (byte offsets of element 0). */
    private static void row(Op op, MemorySegment x, long xAt, MemorySegment y, long yAt, MemorySegment z, long zAt, long count) {
        long i = 0;
        for (long end = count - count % LANES; i < end; i += LANES) {
            FloatVector u = FloatVector.fromMemorySegment(S, x, xAt + 4 * i, LE);
            FloatVector v = FloatVector.fromMemorySegment(S, y, yAt + 4 * i, LE);
            (op == Op.ADD ? u.add(v) : u.mul(v)).intoMemorySegment(z, zAt + 4 * i, LE);
        }
        for (; i < count; i++) {
            float u = x.get(Tensor.F32, xAt + 4 * i), v = y.get(Tensor.F32, yAt + 4 * i);
            z.set(Tensor.F32, zAt + 4 * i, op == Op.ADD ? u + v : u * v);
        }
    }

    static boolean isSuffix(Shape suffix, Shape of) {
        if (suffix.rank() > of.rank()) return false;
        for (int i = 1; i <= suffix.rank(); i++) if (suffix.dim(-i) != of.dim(-i)) return false;
        return true;
    }
}
