package io.llmc4j.compress.quantization.gptq;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.accel.Accelerator;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.linalg.SymmetricRankK;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * A mergeable partial Hessian of a Linear's inputs (LLM Compressor's {@code accumulate_hessian}):
 * the F32 sum {@code Σ (√2·x)(√2·x)ᵀ} over input rows, the number of samples (the batch dim of each
 * call, as the library counts them) and the number of token rows. Partials computed on different
 * threads, processes or machines {@link #merge} by elementwise addition in the order they are given,
 * so the same partials merged in the same order give the same bits. {@link #mean()} is the Hessian
 * GPTQ and SparseGPT use: {@code H = sum / samples}.
 *
 * <p>On the CPU only the lower triangle is accumulated ({@link SymmetricRankK}); the mean mirrors
 * it. With an {@link Accelerator} the product {@code XᵀX} is computed by its
 * {@link Accelerator#gramUpdate} (the full square; only its lower triangle is read), equal to the
 * CPU sum up to float reordering. Not thread-safe: one owner adds at a time.
 */
public final class HessianSum {
    private static final float SQRT_2 = (float) Math.sqrt(2);

    private final int columns;
    private final float[] lowerSum;
    private long samples;
    private long tokens;

    /** An empty partial for a Linear with {@code columns} input features. */
    public HessianSum(int columns) {
        if (columns < 1) throw new IllegalArgumentException("a Hessian needs at least one column, got " + columns);
        this.columns = columns;
        this.lowerSum = new float[Math.multiplyExact(columns, columns)];
    }

    public int columns() {
        return columns;
    }

    /** Samples added so far (the batch dim of each call: a 2-D input counts 1). */
    public long samples() {
        return samples;
    }

    /** Token rows added so far. */
    public long tokens() {
        return tokens;
    }

    /**
     * Adds the rows of {@code input} ({@code [..., columns]}; a 2-D input is one sample, else dim 0
     * is the sample count) whose entry in {@code keep} is true ({@code keep} null: every row; else one
     * flag per row of the flattened input, e.g. the attention mask).
     */
    public void add(Tensor input, boolean[] keep, Parallel parallel) {
        add(input, keep, parallel, null);
    }

    /**
     * As {@link #add(Tensor, boolean[], Parallel)}, the product computed by {@code device}'s
     * {@link Accelerator#gramUpdate} when it is not null, else on the CPU with {@code parallel}.
     */
    public void add(Tensor input, boolean[] keep, Parallel parallel, Accelerator device) {
        if (input.rank() < 1 || input.shape().last() != columns)
            throw new IllegalArgumentException("Hessian of " + columns + " columns cannot take an input of shape " + input.shape());
        long rows = input.elementCount() / columns;
        if (keep != null && keep.length != rows) throw new IllegalArgumentException(keep.length + " mask entries for " + rows + " input rows");
        float[] values = TensorConversion.toFloatArray(input);
        int kept = 0;
        for (int r = 0; r < rows; r++) {
            if (keep != null && !keep[r]) continue;
            int from = r * columns, to = kept * columns;
            for (int c = 0; c < columns; c++) values[to + c] = values[from + c] * SQRT_2;
            kept++;
        }
        if (device == null) SymmetricRankK.accumulateLower(values, kept, columns, lowerSum, parallel);
        else if (kept > 0)
            device.gramUpdate(Tensor.of(Arrays.copyOf(values, kept * columns), kept, columns), Tensor.of(lowerSum, columns, columns), 1f, 1f);
        samples += input.rank() <= 2 ? 1 : input.dim(0);
        tokens += kept;
    }

    /** Adds {@code other}'s sum and counts to this partial (other is unchanged). */
    public void merge(HessianSum other) {
        if (other.columns != columns) throw new IllegalArgumentException("cannot merge a Hessian of " + other.columns + " columns into one of " + columns);
        for (int i = 0; i < lowerSum.length; i++) lowerSum[i] += other.lowerSum[i];
        samples += other.samples;
        tokens += other.tokens;
    }

    /** The symmetric {@code [columns, columns]} mean {@code sum / samples} (a new row-major array). */
    public float[] mean() {
        if (samples == 0) throw new IllegalStateException("no samples were added to this Hessian");
        float n = samples;
        float[] h = new float[lowerSum.length];
        for (int i = 0; i < columns; i++)
            for (int j = 0; j <= i; j++) h[i * columns + j] = lowerSum[i * columns + j] / n;
        SymmetricRankK.mirrorLower(h, columns);
        return h;
    }

    /** The lower-triangle sum as stored (a copy; the strict upper part is not meaningful). */
    public float[] lowerSum() {
        return lowerSum.clone();
    }
}
