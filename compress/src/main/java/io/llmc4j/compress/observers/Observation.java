package io.llmc4j.compress.observers;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import java.util.Arrays;

/**
 * One observed tensor in the canonical calibration layout {@code (observations, *qparamShape, groupSize)}
 * (llm-compressor {@code flatten_for_calibration}): every strategy becomes "for each qparam position,
 * {@code observations × groupSize} values", and statistics reduce over the first and last axes.
 * Values are row-major in that layout: element (n, q, g) is at {@code (n · qparamCount + q) · groupSize + g}.
 *
 * @param values the values, exact (the observed dtype is {@link #dtype})
 * @param dtype the observed tensor's dtype (F32, BF16 or F16)
 * @param observations leading axis size
 * @param qparamShape shape of the statistics and qparams (may be empty: one scalar statistic)
 * @param groupSize trailing axis size
 */
public record Observation(float[] values, DType dtype, int observations, long[] qparamShape, int groupSize) {
    public Observation {
        long expected = Math.multiplyExact(Math.multiplyExact((long) observations, Shape.of(qparamShape).elementCount()), (long) groupSize);
        if (expected != values.length)
            throw new IllegalArgumentException("observation of " + values.length + " values does not fill (" + observations + ", "
                    + Arrays.toString(qparamShape) + ", " + groupSize + ")");
        qparamShape = qparamShape.clone();
    }

    /** Number of qparam positions (product of {@link #qparamShape}). */
    public int qparamCount() {
        return (int) Shape.of(qparamShape).elementCount();
    }

    /** The full layout shape {@code (observations, *qparamShape, groupSize)}. */
    public long[] layoutShape() {
        long[] out = new long[qparamShape.length + 2];
        out[0] = observations;
        System.arraycopy(qparamShape, 0, out, 1, qparamShape.length);
        out[out.length - 1] = groupSize;
        return out;
    }

    /** Min and max over observations and group for each qparam position ({@code amin/amax(dim=(0, -1))}); NaN propagates. */
    public void minMax(float[] mins, float[] maxs) {
        int q = qparamCount();
        Arrays.fill(mins, 0, q, Float.POSITIVE_INFINITY);
        Arrays.fill(maxs, 0, q, Float.NEGATIVE_INFINITY);
        boolean[] nan = new boolean[q];
        for (int n = 0, at = 0; n < observations; n++) {
            for (int p = 0; p < q; p++, at += groupSize) {
                float lo = mins[p], hi = maxs[p];
                boolean sawNan = false;
                for (int i = at, end = at + groupSize; i < end; i++) {
                    float v = values[i];
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                    sawNan |= v != v;
                }
                mins[p] = lo;
                maxs[p] = hi;
                nan[p] |= sawNan;
            }
        }
        for (int p = 0; p < q; p++) {
            if (nan[p]) {
                mins[p] = Float.NaN;
                maxs[p] = Float.NaN;
            }
        }
    }
}
