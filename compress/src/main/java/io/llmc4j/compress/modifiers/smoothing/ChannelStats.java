package io.llmc4j.compress.modifiers.smoothing;

import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * Per-channel statistics of activations over every token seen: minimum, maximum and mean absolute
 * value of the last {@code channels} entries of the last axis (the smoothed part of a fused
 * output). Tokens are the rows of the tensor flattened to [tokens, width]. Not thread-safe.
 */
public final class ChannelStats {
    private final int channels;
    private final float[] min;
    private final float[] max;
    private final double[] absSum;
    private long tokens;
    private int batches;

    public ChannelStats(int channels) {
        this.channels = channels;
        this.min = new float[channels];
        this.max = new float[channels];
        this.absSum = new double[channels];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
    }

    /** Adds one batch of activations [..., width ≥ channels]. */
    public void add(Tensor activations) {
        add(activations.toFloatArray(), Math.toIntExact(activations.dim(activations.rank() - 1)));
    }

    /** Adds row-major values of rows of {@code width}, taking each row's last {@code channels} entries. */
    public void add(float[] values, int width) {
        if (width < channels) throw new IllegalArgumentException("activations have " + width + " channels, expected at least " + channels);
        int offset = width - channels;
        for (int row = 0; row + width <= values.length; row += width) {
            for (int j = 0; j < channels; j++) {
                float v = values[row + offset + j];
                if (v < min[j]) min[j] = v;
                if (v > max[j]) max[j] = v;
                absSum[j] += Math.abs(v);
            }
            tokens++;
        }
        batches++;
    }

    public long tokens() {
        return tokens;
    }

    public int batches() {
        return batches;
    }

    /** max − min per channel (SmoothQuant's activation scale); zero before any token. */
    public float[] range() {
        float[] r = new float[channels];
        if (tokens > 0) for (int j = 0; j < channels; j++) r[j] = max[j] - min[j];
        return r;
    }

    /** max |x| per channel. */
    public float[] absMax() {
        float[] r = new float[channels];
        if (tokens > 0) for (int j = 0; j < channels; j++) r[j] = Math.max(Math.abs(min[j]), Math.abs(max[j]));
        return r;
    }

    /** mean |x| per channel (AWQ's activation statistic). */
    public float[] absMean() {
        float[] r = new float[channels];
        if (tokens > 0) for (int j = 0; j < channels; j++) r[j] = (float) (absSum[j] / tokens);
        return r;
    }
}
