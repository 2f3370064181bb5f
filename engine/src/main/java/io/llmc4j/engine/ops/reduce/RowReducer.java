package io.llmc4j.engine.ops.reduce;

import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.ops.convert.FloatLoads;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import io.llmc4j.engine.ops.elementwise.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One reduction over F32/BF16/F16 data in {@code segment}: contiguous runs to one value
 * ({@link #reduce}) and rows folded into an accumulator row ({@link #accumulate}). Each reduction
 * has its own loop, so the vector operator is a constant the JIT can intrinsify. The order of
 * operations depends only on the run length. Immutable, thread-safe.
 */
record RowReducer(Reduction reduction, DType dtype, MemorySegment segment) {
    /** Elements per run that {@link #reduce} handles in one piece (callers cut longer rows). */
    static final long CHUNK = 1 << 14;
    private static final VectorSpecies<Float> S = FloatLoads.SPECIES;
    private static final int LANES = FloatLoads.LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** The value an empty reduction gives: 0 for sum and abs-max, −∞ for max, +∞ for min. */
    float identity() {
        return switch (reduction) {
            case SUM, ABS_MAX -> 0f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
        };
    }

    float combine(float a, float b) {
        return switch (reduction) {
            case SUM -> a + b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case ABS_MAX -> Math.max(a, Math.abs(b));
        };
    }

    /** The reduction of {@code count} elements starting at byte {@code at} of {@link #segment()}. */
    float reduce(long at, long count) {
        int width = dtype.byteSize();
        FloatVector a0 = FloatVector.broadcast(S, identity()), a1 = FloatVector.broadcast(S, identity());
        long i = 0;
        switch (reduction) {
            case SUM -> {
                for (long end = count - count % (2 * LANES); i < end; i += 2 * LANES) {
                    a0 = a0.add(load(at + i * width));
                    a1 = a1.add(load(at + (i + LANES) * width));
                }
            }
            case MAX -> {
                for (long end = count - count % (2 * LANES); i < end; i += 2 * LANES) {
                    a0 = a0.max(load(at + i * width));
                    a1 = a1.max(load(at + (i + LANES) * width));
                }
            }
            case MIN -> {
                for (long end = count - count % (2 * LANES); i < end; i += 2 * LANES) {
                    a0 = a0.min(load(at + i * width));
                    a1 = a1.min(load(at + (i + LANES) * width));
                }
            }
            case ABS_MAX -> {
                for (long end = count - count % (2 * LANES); i < end; i += 2 * LANES) {
                    a0 = a0.max(load(at + i * width).abs());
                    a1 = a1.max(load(at + (i + LANES) * width).abs());
                }
            }
        }
        float acc = switch (reduction) {
            case SUM -> VectorMath.sum(a0.add(a1));
            case MAX, ABS_MAX -> a0.max(a1).reduceLanes(VectorOperators.MAX);
            case MIN -> a0.min(a1).reduceLanes(VectorOperators.MIN);
        };
        for (; i < count; i++) acc = combine(acc, FloatLoads.get(dtype, segment, at + i * width));
        return acc;
    }

    /** {@code acc[j] = op(acc[j], row[j])} for an F32 row at byte {@code at} of {@code row}. */
    void accumulate(float[] acc, MemorySegment row, long at) {
        int n = acc.length, j = 0, end = n - n % LANES;
        switch (reduction) {
            case SUM -> {
                for (; j < end; j += LANES) FloatVector.fromArray(S, acc, j).add(f32(row, at + 4L * j)).intoArray(acc, j);
            }
            case MAX -> {
                for (; j < end; j += LANES) FloatVector.fromArray(S, acc, j).max(f32(row, at + 4L * j)).intoArray(acc, j);
            }
            case MIN -> {
                for (; j < end; j += LANES) FloatVector.fromArray(S, acc, j).min(f32(row, at + 4L * j)).intoArray(acc, j);
            }
            case ABS_MAX -> {
                for (; j < end; j += LANES) FloatVector.fromArray(S, acc, j).max(f32(row, at + 4L * j).abs()).intoArray(acc, j);
            }
        }
        for (; j < n; j++) acc[j] = combine(acc[j], row.get(Tensor.F32, at + 4L * j));
    }

    private FloatVector load(long at) {
        return FloatLoads.load(dtype, segment, at);
    }

    private static FloatVector f32(MemorySegment row, long at) {
        return FloatVector.fromMemorySegment(S, row, at, LE);
    }
}
