package io.llmc4j.engine.ops.reduce;

import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One reduction over F32/BF16/F16 {@code data}: contiguous runs to one value
 * ({@link #reduce}) and rows folded into an accumulator row ({@link #accumulate}). Each reduction
 * has its own loop, so the vector operator is a constant the JIT can intrinsify. The order of
 * operations depends only on the run length. Immutable, thread-safe.
 */
record RowReducer(Reduction reduction, FloatData data) {
    /** Elements per run that {@link #reduce} handles in one piece (callers cut longer rows). */
    static final long CHUNK = 1 << 14;
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;
    private static final WindowPool WINDOWS = new WindowPool(1);
    private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);

    /** The value an empty reduction gives: 0 for sum and abs-max, −∞ for max, +∞ for min. */
    float identity() {
        return switch (reduction) {
            case SUM, ABS_MAX -> 0f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
        };
    }

    float combine(float a, float b) {
        return combine(reduction, a, b);
    }

    private static float combine(Reduction reduction, float a, float b) {
        return switch (reduction) {
            case SUM -> a + b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case ABS_MAX -> Math.max(a, Math.abs(b));
        };
    }

    /** The reduction of {@code count} (at most {@link #CHUNK}) elements from element {@code at} of {@link #data()}. */
    float reduce(long at, long count) {
        Window window = data.read(at, (int) count, WINDOWS.first());
        float[] x = window.array();
        int base = window.offset();
        FloatVector a0 = FloatVector.broadcast(S, identity()), a1 = FloatVector.broadcast(S, identity());
        long i = 0;
        switch (reduction) {
            case SUM -> {
                for (long end = count - count % (2 * LANES); i < end; i += 2 * LANES) {
                    a0 = a0.add(load(x, base + i));
                    a1 = a1.add(load(x, base + i + LANES));
                }
            }
            case MAX -> {
                for (long end = count - count % (2 * LANES); i < end; i += 2 * LANES) {
                    a0 = a0.max(load(x, base + i));
                    a1 = a1.max(load(x, base + i + LANES));
                }
            }
            case MIN -> {
                for (long end = count - count % (2 * LANES); i < end; i += 2 * LANES) {
                    a0 = a0.min(load(x, base + i));
                    a1 = a1.min(load(x, base + i + LANES));
                }
            }
            case ABS_MAX -> {
                for (long end = count - count % (2 * LANES); i < end; i += 2 * LANES) {
                    a0 = a0.max(load(x, base + i).abs());
                    a1 = a1.max(load(x, base + i + LANES).abs());
                }
            }
        }
        float acc = switch (reduction) {
            case SUM -> {
                float[] lanes = LANE_SCRATCH.get();
                a0.add(a1).intoArray(lanes, 0);   // no vector is passed to a call (see VectorMath.sumInPlace)
                yield VectorMath.sumInPlace(lanes, 0);
            }
            case MAX, ABS_MAX -> a0.max(a1).reduceLanes(VectorOperators.MAX);
            case MIN -> a0.min(a1).reduceLanes(VectorOperators.MIN);
        };
        for (; i < count; i++) acc = combine(acc, x[(int) (base + i)]);
        return acc;
    }

    /** {@code acc[j] = op(acc[j], data[at + j])} for j < acc.length; {@code window} is reused scratch. */
    void accumulate(float[] acc, long at, Window window) {
        int n = acc.length, j = 0, end = n - n % LANES;
        data.read(at, n, window);
        float[] x = window.array();
        int base = window.offset();
        switch (reduction) {
            case SUM -> {
                for (; j < end; j += LANES) FloatVector.fromArray(S, acc, j).add(load(x, base + j)).intoArray(acc, j);
            }
            case MAX -> {
                for (; j < end; j += LANES) FloatVector.fromArray(S, acc, j).max(load(x, base + j)).intoArray(acc, j);
            }
            case MIN -> {
                for (; j < end; j += LANES) FloatVector.fromArray(S, acc, j).min(load(x, base + j)).intoArray(acc, j);
            }
            case ABS_MAX -> {
                for (; j < end; j += LANES) FloatVector.fromArray(S, acc, j).max(load(x, base + j).abs()).intoArray(acc, j);
            }
        }
        for (; j < n; j++) acc[j] = combine(reduction, acc[j], x[base + j]);
    }

    private static FloatVector load(float[] x, long at) {
        return FloatVector.fromArray(S, x, (int) at);
    }
}
