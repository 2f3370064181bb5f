package io.llmc4j.engine.ops.norm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax along the last axis: {@code y = e^(x − max) / Σ e^(x − max)} per row. x: any dtype and
 * layout; returns a new contiguous F32 heap tensor. Each row is three vector passes (max, exp and
 * sum, scale) in a fixed order, so results do not depend on the thread count. Thread-safe.
 */
public final class Softmax {
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;
    private static final WindowPool WINDOWS = new WindowPool(2);
    private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);
    private static final long CHUNK = 1 << 15;

    private Softmax() {
    }

    public static Tensor apply(Tensor x, Parallel parallel) {
        if (x.rank() < 1) throw new IllegalArgumentException("softmax: input must have an axis, got a scalar");
        Tensor out = Tensor.allocate(DType.F32, x.shape().toArray());
        long n = x.shape().last();
        if (n == 0 || x.elementCount() == 0) return out;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("softmax: rows of " + n + " elements are too long");
        FloatData in = FloatData.of(TensorConversion.contiguousFloat(x, parallel)), target = FloatData.of(out);
        long rows = x.elementCount() / n;
        long rowsPerTask = Math.max(1, CHUNK / n);
        parallel.forEach(Parallel.chunkCount(rows, rowsPerTask), task -> {
            Window[] windows = WINDOWS.get();
            Window source = windows[0], result = windows[1];
            long first = task * rowsPerTask, last = Math.min(rows, first + rowsPerTask);
            for (long r = first; r < last; r++) {
                in.read(r * n, (int) n, source);
                target.writable(r * n, (int) n, result);
                row(source.array(), source.offset(), result.array(), result.offset(), (int) n);
                target.commit(r * n, (int) n, result);
            }
        });
        return out;
    }

    /** Softmax of {@code x[xAt ... xAt + n)} into {@code y[yAt ...]}. */
    public static void row(float[] x, int xAt, float[] y, int yAt, int n) {
        int vectorEnd = n - n % LANES;
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < vectorEnd; i += LANES) m = m.max(FloatVector.fromArray(S, x, xAt + i));
        float max = m.reduceLanes(VectorOperators.MAX);
        for (int i = vectorEnd; i < n; i++) max = Math.max(max, x[xAt + i]);
        VectorMath.exp(x, xAt, 1f, max, y, yAt, n);   // y = e^(x − max); arrays in, arrays out (see VectorMath.exp)
        float sum = VectorMath.sum(y, yAt, n, LANE_SCRATCH.get());
        float inverse = 1 / sum;
        for (int i = 0; i < vectorEnd; i += LANES) FloatVector.fromArray(S, y, yAt + i).mul(inverse).intoArray(y, yAt + i);
        for (int i = vectorEnd; i < n; i++) y[yAt + i] *= inverse;
    }
}
