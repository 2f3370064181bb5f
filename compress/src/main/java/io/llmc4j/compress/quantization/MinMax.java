package io.llmc4j.compress.quantization;

/**
 * Min and max of consecutive runs of a float array ({@code torch.amin}/{@code amax}): NaN propagates,
 * and the first of equal values wins. Stateless.
 */
public final class MinMax {
    private MinMax() {
    }

    /** For each of {@code groups} runs of {@code length} values, its min and max. */
    public static void reduce(float[] values, int groups, int length, float[] mins, float[] maxs) {
        for (int g = 0, at = 0; g < groups; g++, at += length) {
            float lo = values[at], hi = values[at];
            for (int i = at + 1, end = at + length; i < end; i++) {
                float v = values[i];
                if (v < lo || Float.isNaN(v)) lo = Float.isNaN(lo) ? lo : v;
                if (v > hi || Float.isNaN(v)) hi = Float.isNaN(hi) ? hi : v;
            }
            mins[g] = lo;
            maxs[g] = hi;
        }
    }
}
