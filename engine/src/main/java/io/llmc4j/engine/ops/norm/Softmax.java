package io.llmc4j.engine.ops.norm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.FloatLoads;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax along the last axis: {@code y = e^(x − max) / Σ e^(x − max)} per row. x: any float dtype
 * and layout; returns a new contiguous F32 heap tensor. Each row is three vector passes (max, exp and
 * sum, divide) in a fixed order, so results do not depend on the thread count. Thread-safe.
 */
public final class Softmax {
    private static final VectorSpecies<Float> S = FloatLoads.SPECIES;
    private static final int LANES = FloatLoads.LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final long CHUNK = 1 << 15;

    private Softmax() {
    }

    public static Tensor apply(Tensor x, Parallel parallel) {
        if (x.rank() < 1) throw new IllegalArgumentException("softmax: input must have an axis, got a scalar");
        Tensor in = TensorConversion.contiguousF32(x, parallel);
        Tensor out = Tensor.allocate(DType.F32, x.shape().toArray());
        long n = x.shape().last();
        if (n == 0 || x.elementCount() == 0) return out;
        long rows = x.elementCount() / n;
        MemorySegment src = in.segment(), dst = out.segment();
        long srcAt = in.byteOffset();
        long rowsPerTask = Math.max(1, CHUNK / n);
        parallel.forEach(Parallel.chunkCount(rows, rowsPerTask), task -> {
            long first = task * rowsPerTask, last = Math.min(rows, first + rowsPerTask);
            for (long r = first; r < last; r++) row(src, srcAt + r * n * 4, dst, r * n * 4, n);
        });
        return out;
    }

    /** Softmax of {@code n} floats at byte {@code inAt} into {@code out} at byte {@code outAt}. */
    public static void row(MemorySegment in, long inAt, MemorySegment out, long outAt, long n) {
        float max = Float.NEGATIVE_INFINITY;
        long i = 0;
        if (n >= LANES) {
            FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (long end = n - n % LANES; i < end; i += LANES) m = m.max(FloatVector.fromMemorySegment(S, in, inAt + 4 * i, LE));
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) max = Math.max(max, in.get(Tensor.F32, inAt + 4 * i));
        float sum = 0;
        i = 0;
        if (n >= LANES) {
            FloatVector total = FloatVector.zero(S);
            for (long end = n - n % LANES; i < end; i += LANES) {
                FloatVector e = VectorMath.exp(FloatVector.fromMemorySegment(S, in, inAt + 4 * i, LE).sub(max));
                e.intoMemorySegment(out, outAt + 4 * i, LE);
                total = total.add(e);
            }
            sum = VectorMath.sum(total);
        }
        for (; i < n; i++) {
            float e = VectorMath.exp(in.get(Tensor.F32, inAt + 4 * i) - max);
            out.set(Tensor.F32, outAt + 4 * i, e);
            sum += e;
        }
        float inverse = 1 / sum;
        i = 0;
        for (long end = n - n % LANES; i < end; i += LANES)
            FloatVector.fromMemorySegment(S, out, outAt + 4 * i, LE).mul(inverse).intoMemorySegment(out, outAt + 4 * i, LE);
        for (; i < n; i++) out.set(Tensor.F32, outAt + 4 * i, out.get(Tensor.F32, outAt + 4 * i) * inverse);
    }
}
