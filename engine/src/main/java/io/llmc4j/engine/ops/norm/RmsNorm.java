package io.llmc4j.engine.ops.norm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * RMSNorm over the last axis: {@code y = x / sqrt(mean(x²) + eps) · weight}, computed in float32 as
 * Hugging Face's {@code LlamaRMSNorm} does. x {@code [..., features]} (any float dtype and layout),
 * weight {@code [features]} (F32/BF16/F16); returns a new contiguous F32 heap tensor.
 *
 * <p>Rows are grouped into tasks by size only. For inputs too large for the cache the rows of a task
 * are software-pipelined: one pass scales row r (already in cache) and sums the squares of row r+1
 * (streaming in), so each row is read from memory once; small inputs take two passes per row. A row's sum of squares always runs in the same order (two vector
 * accumulators, a lane reduction, a scalar tail), so results do not depend on the thread count or
 * on task boundaries. Thread-safe.
 *
 * <p>Speed depends on where rows start: rows of a large {@code Tensor.allocate} tensor start on a
 * cache line and run at 0.73–0.86 of memcpy bandwidth from memory (4096 features, one thread);
 * rows 16 bytes into a line, whose vector loads and stores all split across two lines, ran 0.01 to
 * 0.15 slower ({@code bench/run-bandwidth.sh} measures both in one run).
 */
public final class RmsNorm {
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;
    private static final WindowPool WINDOWS = new WindowPool(3);
    private static final WindowPool WEIGHT = new WindowPool(1);
    /** Where a task stores its two accumulator vectors to finish a sum (see {@link VectorMath#sumInPlace}). */
    private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[2 * LANES]);
    private static final long CHUNK = 1 << 15;
    /** From this size on x comes from memory rather than cache, and the pipelined pass pays. */
    private static final long PIPELINE_ELEMENTS = 1 << 20;
    /**
     * Elements per task when pipelined: a task's first row is read twice (its sum of squares has no
     * previous row to ride along with), so tasks are long enough to make that negligible.
     */
    private static final long PIPELINED_CHUNK = 1 << 18;

    private RmsNorm() {
    }

    public static Tensor apply(Tensor x, Tensor weight, float eps, Parallel parallel) {
        Tensor out = Tensor.allocate(DType.F32, x.shape().toArray());
        applyInto(x, weight, eps, out, parallel);
        return out;
    }

    /** {@link #apply} into a caller-owned contiguous F32 tensor of x's shape (overwritten). */
    public static void applyInto(Tensor x, Tensor weight, float eps, Tensor out, Parallel parallel) {
        if (x.rank() < 1) throw new IllegalArgumentException("rmsNorm: input must have a feature axis, got a scalar");
        long n = x.shape().last();
        if (weight.rank() != 1 || weight.dim(0) != n)
            throw new IllegalArgumentException("rmsNorm: weight " + weight.shape() + " does not match the " + n + " features of x " + x.shape());
        if (out.dtype() != DType.F32 || !out.isContiguous() || !out.shape().equals(x.shape()))
            throw new IllegalArgumentException("rmsNorm: output " + out.dtype() + out.shape() + " must be contiguous F32 " + x.shape());
        if (n == 0 || x.elementCount() == 0) return;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("rmsNorm: rows of " + n + " features are too long");
        FloatData in = FloatData.of(TensorConversion.contiguousFloat(x, parallel)), target = FloatData.of(out);
        // The weight as floats: in place when it is an F32 array, else widened once into this
        // thread's scratch (which tasks on other threads only read while forEach runs).
        Window weights = FloatData.of(TensorConversion.contiguousFloat(weight, parallel)).read(0, (int) n, WEIGHT.first());
        float[] w = weights.array();
        int wAt = weights.offset();
        long rows = x.elementCount() / n;
        boolean pipelined = x.elementCount() >= PIPELINE_ELEMENTS;
        long rowsPerTask = Math.max(1, (pipelined ? PIPELINED_CHUNK : CHUNK) / n);
        parallel.forEach(Parallel.chunkCount(rows, rowsPerTask), task -> {
            long first = task * rowsPerTask, last = Math.min(rows, first + rowsPerTask);
            Window[] windows = WINDOWS.get();
            Window current = windows[0], next = windows[1], result = windows[2];
            float[] lanes = LANE_SCRATCH.get();
            in.read(first * n, (int) n, current);
            float sumSquares = sumSquares(current.array(), current.offset(), (int) n, lanes);
            for (long r = first; r < last; r++) {
                boolean more = pipelined && r + 1 < last;
                if (more) in.read((r + 1) * n, (int) n, next);
                target.writable(r * n, (int) n, result);
                float inv = (float) (1.0 / Math.sqrt(sumSquares / n + eps));
                sumSquares = scaleRow(current.array(), current.offset(), result.array(), result.offset(), w, wAt, (int) n, inv,
                        more ? next.array() : null, more ? next.offset() : 0, lanes);
                target.commit(r * n, (int) n, result);
                if (more) {
                    Window done = current;
                    current = next;
                    next = done;
                } else if (r + 1 < last) {
                    in.read((r + 1) * n, (int) n, current);
                    sumSquares = sumSquares(current.array(), current.offset(), (int) n, lanes);
                }
            }
        });
    }

    /** Σ x[at + i]² for i < n, in a fixed order (two vector accumulators, a lane sum, a scalar tail). */
    static float sumSquares(float[] x, int at, int n, float[] lanes) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int i = 0;
        for (int end = n - n % (2 * LANES); i < end; i += 2 * LANES) {
            FloatVector v0 = FloatVector.fromArray(S, x, at + i), v1 = FloatVector.fromArray(S, x, at + i + LANES);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
        }
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, LANES);
        return finishSquares(x, at, i, n, lanes);
    }

    /**
     * {@code y = x · inv · w} for one row and, in the same pass, {@link #sumSquares} of the next row
     * (when {@code next} is not null): the next row streams in from memory while this one, already
     * in cache, is scaled and written. Returns the next row's sum of squares (0 without one).
     *
     * <p>No vector crosses a method boundary here (helpers take arrays and scalars, the lane sum goes
     * through {@code lanes}): a call C2 does not inline boxes its vector arguments, and the boxed
     * fallback ran this kernel at 4.6 to 8.6 instead of 27–29 GB/s (rows of 1024 to 4096 features).
     */
    static float scaleRow(float[] x, int xAt, float[] y, int yAt, float[] w, int wAt, int n, float inv, float[] next, int nextAt, float[] lanes) {
        if (next == null) {
            scaleTail(x, xAt, y, yAt, w, wAt, 0, n, inv);
            return 0f;
        }
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
        int i = 0;
        for (int end = n - n % (2 * LANES); i < end; i += 2 * LANES) {
            FloatVector v0 = FloatVector.fromArray(S, next, nextAt + i), v1 = FloatVector.fromArray(S, next, nextAt + i + LANES);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            FloatVector.fromArray(S, x, xAt + i).mul(inv).mul(FloatVector.fromArray(S, w, wAt + i)).intoArray(y, yAt + i);
            FloatVector.fromArray(S, x, xAt + i + LANES).mul(inv).mul(FloatVector.fromArray(S, w, wAt + i + LANES)).intoArray(y, yAt + i + LANES);
        }
        scaleTail(x, xAt, y, yAt, w, wAt, i, n, inv);
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, LANES);
        return finishSquares(next, nextAt, i, n, lanes);
    }

    /** {@code y = x · inv · w} for the elements {@code [from, n)} of a row. */
    private static void scaleTail(float[] x, int xAt, float[] y, int yAt, float[] w, int wAt, int from, int n, float inv) {
        int i = from;
        for (int end = n - (n - from) % LANES; i < end; i += LANES)
            FloatVector.fromArray(S, x, xAt + i).mul(inv).mul(FloatVector.fromArray(S, w, wAt + i)).intoArray(y, yAt + i);
        for (; i < n; i++) y[yAt + i] = x[xAt + i] * inv * w[wAt + i];
    }

    /**
     * Finishes a sum of squares whose two accumulators are stored at {@code lanes[0 ..)} and
     * {@code lanes[LANES ..)} after element {@code i}: one more whole vector into the first, the
     * lane sum of both, then the scalar tail, one fused multiply-add per element.
     */
    private static float finishSquares(float[] x, int at, int i, int n, float[] lanes) {
        FloatVector s0 = FloatVector.fromArray(S, lanes, 0), s1 = FloatVector.fromArray(S, lanes, LANES);
        if (i + LANES <= n) {
            FloatVector v = FloatVector.fromArray(S, x, at + i);
            s0 = v.fma(v, s0);
            i += LANES;
        }
        s0.add(s1).intoArray(lanes, 0);
        float sum = VectorMath.sumInPlace(lanes, 0);
        for (; i < n; i++) sum = Math.fma(x[at + i], x[at + i], sum);
        return sum;
    }
}
