package io.llmc4j.compress.modifiers.smoothing;

import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of SmoothQuant and AWQ over plain row-major float arrays: per-channel scales, and
 * folding a scale vector s into a smooth layer (its outputs divided by s) and the layers it feeds
 * (their input columns multiplied by s), which leaves the composed function unchanged:
 *
 * <pre>
 *   balance(smooth(x)) = (W·diag(s)) · (diag(s)⁻¹ · smooth(x))
 * </pre>
 *
 * Stateless and thread-safe; every method returns new arrays and leaves its arguments alone.
 */
public final class SmoothingMath {
    /** LLM Compressor's floor on SmoothQuant scales. */
    public static final float MINIMUM_SMOOTHING_SCALE = 1e-5f;

    private SmoothingMath() {
    }

    /**
     * SmoothQuant's scales (LLM Compressor's convention): with r the activation's per-channel
     * dynamic range (max − min) and w = 2·max over balance layers of |W[:, j]|,
     * s_j = r_j^α / w_j^(1−α) (s_j = r_j where w_j = 0), floored at {@link #MINIMUM_SMOOTHING_SCALE}.
     */
    public static float[] smoothQuantScales(float[] activationRange, float[] weightColumnAbsMax, double alpha) {
        check(activationRange.length == weightColumnAbsMax.length, "activation range has " + activationRange.length
                + " channels, balance weights " + weightColumnAbsMax.length);
        float[] s = new float[activationRange.length];
        for (int j = 0; j < s.length; j++) {
            double w = 2.0 * weightColumnAbsMax[j];
            double v = w > 0 ? Math.pow(activationRange[j], alpha) / Math.pow(w, 1 - alpha) : activationRange[j];
            s[j] = (float) Math.max(v, MINIMUM_SMOOTHING_SCALE);
        }
        return s;
    }

    /** {@code algorithm: log_equalization}: s_j = r_j / log2(2 + r_j), floored like SmoothQuant's. */
    public static float[] logEqualizationScales(float[] activationRange) {
        float[] s = new float[activationRange.length];
        for (int j = 0; j < s.length; j++)
            s[j] = (float) Math.max(activationRange[j] / (Math.log(2 + activationRange[j]) / Math.log(2)), MINIMUM_SMOOTHING_SCALE);
        return s;
    }

    /** max over rows of |W[r, j]| for a row-major [rows, cols] weight. */
    public static float[] columnAbsMax(float[] weight, int rows, int cols) {
        checkShape(weight, rows, cols);
        float[] m = new float[cols];
        for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) m[j] = Math.max(m[j], Math.abs(weight[r * cols + j]));
        return m;
    }

    /** Element-wise maximum of several equally long vectors. */
    public static float[] elementwiseMax(List<float[]> vectors) {
        float[] m = vectors.getFirst().clone();
        for (float[] v : vectors.subList(1, vectors.size())) for (int j = 0; j < m.length; j++) m[j] = Math.max(m[j], v[j]);
        return m;
    }

    /**
     * AWQ's candidate scales for one grid point: s = x̄^ratio (duo: x̄^ratio / (w̄^(1−ratio) + 1e-4)),
     * clamped at 1e-4, divided by sqrt(max(s)·min(s)); non-finite entries become 1.
     */
    public static float[] awqScales(float[] activationMean, float[] weightMean, double ratio, boolean duo) {
        int n = activationMean.length;
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double v = Math.pow(activationMean[j], ratio);
            if (duo) v = v / (Math.pow(weightMean[j], 1 - ratio) + 1e-4);
            v = Math.max(v, 1e-4);
            s[j] = v;
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        double norm = Math.sqrt(max * min);
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            float v = (float) (s[j] / norm);
            out[j] = Float.isFinite(v) ? v : 1f;
        }
        return out;
    }

    /** One point of AWQ's grid: the exponent and whether the weight means take part. */
    public record GridPoint(double ratio, boolean duo) {
    }

    /**
     * AWQ's grid (LLM Compressor's order): duo_scaling false: n points ratio i/(n−1); true: (0, plain)
     * then n−1 duo points i/(n−2); both: n/2 ratios i/(n/2−1), each plain then duo.
     */
    public static List<GridPoint> awqGrid(int nGrid, DuoScaling duo) {
        List<GridPoint> grid = new ArrayList<>();
        switch (duo) {
            case FALSE -> {
                check(nGrid >= 2, "n_grid must be at least 2, got " + nGrid);
                for (int i = 0; i < nGrid; i++) grid.add(new GridPoint(i / (double) (nGrid - 1), false));
            }
            case TRUE -> {
                check(nGrid >= 3, "n_grid must be at least 3 with duo_scaling true, got " + nGrid);
                grid.add(new GridPoint(0, false));
                for (int i = 0; i < nGrid - 1; i++) grid.add(new GridPoint(i / (double) (nGrid - 2), true));
            }
            case BOTH -> {
                int half = nGrid / 2;
                check(half >= 2, "n_grid must be at least 4 with duo_scaling both, got " + nGrid);
                for (int i = 0; i < half; i++) {
                    grid.add(new GridPoint(i / (double) (half - 1), false));
                    grid.add(new GridPoint(i / (double) (half - 1), true));
                }
            }
        }
        return grid;
    }

    /**
     * AWQ's weight statistic for one [rows, cols] weight: |W| divided by the max |W| of its
     * quantization chunk (+1e-6), where a chunk is {@code chunk} consecutive elements of the
     * row-major weight (a group, a row for channel, everything for tensor); returned as the
     * column sums and the row count, to be pooled over layers by {@link #meanOfColumnSums}.
     */
    public static double[] normalizedColumnSums(float[] weight, int rows, int cols, int chunk) {
        checkShape(weight, rows, cols);
        check(chunk > 0 && weight.length % chunk == 0, "chunk " + chunk + " does not divide " + weight.length + " weights");
        double[] sums = new double[cols];
        for (int start = 0; start < weight.length; start += chunk) {
            float max = 0;
            for (int i = start; i < start + chunk; i++) max = Math.max(max, Math.abs(weight[i]));
            for (int i = start; i < start + chunk; i++) sums[i % cols] += Math.abs(weight[i]) / (max + 1e-6f);
        }
        return sums;
    }

    /** Pools {@link #normalizedColumnSums} of several layers (with their row counts) into the column mean. */
    public static float[] meanOfColumnSums(List<double[]> sums, long totalRows) {
        double[] total = new double[sums.getFirst().length];
        for (double[] s : sums) for (int j = 0; j < total.length; j++) total[j] += s[j];
        float[] mean = new float[total.length];
        for (int j = 0; j < mean.length; j++) mean[j] = (float) (total[j] / totalRows);
        return mean;
    }

    /** W·diag(s): column j of a row-major [rows, cols] weight multiplied by s_j. */
    public static float[] scaleColumns(float[] weight, int rows, int cols, float[] s) {
        checkShape(weight, rows, cols);
        check(s.length == cols, "scales have " + s.length + " entries for " + cols + " columns");
        float[] out = new float[weight.length];
        for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) out[r * cols + j] = weight[r * cols + j] * s[j];
        return out;
    }

    /** W·diag(s)⁻¹: the inverse of {@link #scaleColumns}. */
    public static float[] unscaleColumns(float[] weight, int rows, int cols, float[] s) {
        checkShape(weight, rows, cols);
        float[] out = new float[weight.length];
        for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) out[r * cols + j] = weight[r * cols + j] / s[j];
        return out;
    }

    /**
     * Divides the last {@code s.length} rows of a row-major [rows, cols] weight by s (a smooth
     * Linear: its outputs, or the last part of fused ones such as v in qkv_proj, up in gate_up_proj).
     */
    public static float[] divideLastRows(float[] weight, int rows, int cols, float[] s) {
        checkShape(weight, rows, cols);
        check(s.length <= rows, "scales have " + s.length + " entries for " + rows + " rows");
        float[] out = weight.clone();
        int first = rows - s.length;
        for (int r = first; r < rows; r++) for (int j = 0; j < cols; j++) out[r * cols + j] /= s[r - first];
        return out;
    }

    /** Divides the last {@code s.length} entries of a vector (a bias or a plain norm weight) by s. */
    public static float[] divideLast(float[] v, float[] s) {
        check(s.length <= v.length, "scales have " + s.length + " entries for a vector of " + v.length);
        float[] out = v.clone();
        int first = v.length - s.length;
        for (int i = first; i < v.length; i++) out[i] /= s[i - first];
        return out;
    }

    /** A unit-offset norm's weight (scale 1 + w, Gemma) after dividing its outputs by s: (1 + w)/s − 1. */
    public static float[] divideOffsetNorm(float[] w, float[] s) {
        check(s.length == w.length, "scales have " + s.length + " entries for a norm of " + w.length);
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) out[i] = (float) ((1.0 + w[i]) / s[i] - 1.0);
        return out;
    }

    /** Sum of squared differences (in double), for a mean squared error pooled over batches. */
    public static double squaredError(float[] a, float[] b) {
        check(a.length == b.length, "outputs differ in size: " + a.length + " vs " + b.length);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    private static void checkShape(float[] weight, int rows, int cols) {
        check(weight.length == (long) rows * cols, "weight has " + weight.length + " values, not " + rows + " × " + cols);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
