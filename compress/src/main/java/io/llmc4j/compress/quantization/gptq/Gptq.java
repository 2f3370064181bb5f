package io.llmc4j.compress.quantization.gptq;

import io.llmc4j.compress.quantization.ActivationOrdering;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.compress.quantization.WeightError;
import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.gemm.FloatMatrix;
import io.llmc4j.engine.ops.gemm.Gemm;
import io.llmc4j.engine.ops.linalg.InverseCholesky;
import io.llmc4j.engine.ops.linalg.OuterUpdate;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * GPTQ (Frantar et al. 2022) for one Linear weight {@code [rows, cols]}, as LLM Compressor's
 * {@code quantize_weight} computes it:
 *
 * <pre>
 *   qparams  = observer(W)                                 once, on the original weight
 *   actorder = weight/static: permute columns by descending diag(H);  group: also re-observe the permuted W
 *   dead     = diag(H) == 0:  H[d,d] = 1, W[:,d] = 0
 *   H       += dampening_frac · mean(diag H) · I;   U = chol(H⁻¹) upper   (fails: U = I, round-to-nearest)
 *   for each block of block_size columns [i1, i2):
 *     for i in block:  q = fakequant(W[:,i]);  e = (W[:,i] − q) / U[i,i];  W[:,i+1:i2] −= e·U[i,i+1:i2];  W[:,i] = q
 *     W[:, i2:] −= E · U[i1:i2, i2:]                         (lazy batch update: one GEMM)
 *   undo the permutation; g_idx for actorder group
 * </pre>
 *
 * Quantization uses the core's rounding ({@link ColumnQuantizer}); the linear algebra is the
 * engine's Vector API kernels ({@link InverseCholesky}, {@link OuterUpdate}, {@link Gemm}). Rows are
 * independent given U, so the loop runs over fixed bands of {@value #ROWS_PER_TASK} rows in
 * parallel: results do not depend on the thread count. Stateless.
 */
public final class Gptq {
    /** Weight rows per parallel task of the column loop. */
    static final int ROWS_PER_TASK = 48;

    private Gptq() {
    }

    /**
     * @param weight        the Linear weight {@code [rows, cols]} (F32, BF16 or F16); not modified
     * @param hessian       the mean Hessian {@code [cols, cols]}, row-major, symmetric ({@link HessianSum#mean()}); not modified
     * @param args          the weight's quantization args (strategy tensor, channel, group, tensor_group or block; actorder)
     * @param observer      computes qparams from a weight tensor (the module's weight observer)
     * @param blockSize     columns per block of the lazy batch update
     * @param dampeningFrac fraction of the mean diagonal added to the diagonal
     */
    public static GptqResult quantize(Tensor weight, float[] hessian, QuantizationArgs args, Function<Tensor, QParams> observer,
                                      int blockSize, float dampeningFrac, Parallel parallel) {
        if (weight.rank() != 2) throw new IllegalArgumentException("GPTQ needs a 2-D weight, got " + weight.shape());
        int rows = Math.toIntExact(weight.dim(0)), cols = Math.toIntExact(weight.dim(1));
        if ((long) cols * cols != hessian.length)
            throw new IllegalArgumentException("Hessian of " + hessian.length + " floats does not fit a weight with " + cols + " columns");
        if (blockSize < 1) throw new IllegalArgumentException("block_size must be positive, got " + blockSize);
        QuantizationStrategy strategy = args.strategy();
        float[] original = TensorValues.read(weight), w = original.clone();
        float[] h = hessian.clone();
        QParams qparams = observer.apply(weight);
        ActivationOrdering actorder = args.actorder();
        int[] perm = null;
        if (actorder != null) {
            perm = descendingDiagonal(h, cols);
            w = permuteColumns(w, rows, cols, perm);
            h = permuteSymmetric(h, cols, perm);
        }
        if (actorder == ActivationOrdering.GROUP) qparams = observer.apply(TensorValues.write(w, DType.F32, rows, cols));
        int[] groups = null;
        if (strategy.isGrouped() || strategy == QuantizationStrategy.BLOCK) {
            int divisor = strategy == QuantizationStrategy.BLOCK ? args.blockCols() : args.groupSize();
            groups = new int[cols];
            for (int c = 0; c < cols; c++) groups[c] = (actorder == ActivationOrdering.WEIGHT ? perm[c] : c) / divisor;
        }
        ColumnQuantizer quantizer = new ColumnQuantizer(args, qparams, groups);
        maskDeadColumns(w, rows, cols, h);
        dampen(h, cols, dampeningFrac);
        float[] u = InverseCholesky.upperFactorOfInverse(h, cols, parallel);
        boolean inverted = u != null;
        if (!inverted) u = identity(cols);
        double loss = columnLoop(w, rows, cols, u, quantizer, blockSize, parallel);
        Tensor gIdx = null;
        if (perm != null) {
            w = unpermuteColumns(w, rows, cols, perm);
            if (actorder == ActivationOrdering.GROUP) {
                float[] byColumn = new float[cols];
                for (int j = 0; j < cols; j++) byColumn[perm[j]] = groups[j];
                gIdx = TensorValues.write(byColumn, DType.I32, cols);
            }
        }
        DType dtype = weight.dtype();
        // As the library stores them: the scale in the weight's dtype; the global scale rounded through
        // the weight's dtype (quantize_weight casts it) into its own F32 parameter.
        Tensor global = qparams.globalScale() == null ? null : cast(cast(qparams.globalScale(), dtype), qparams.globalScale().dtype());
        QParams stored = new QParams(cast(qparams.scale(), dtype), qparams.zeroPoint(), global);
        Tensor result = TensorValues.write(w, dtype, rows, cols);
        return new GptqResult(result, stored, gIdx, loss, inverted, WeightError.relative(original, TensorValues.read(result)));
    }

    /** The column loop over all rows: W becomes its quantized values; returns the loss. */
    private static double columnLoop(float[] w, int rows, int cols, float[] u, ColumnQuantizer quantizer, int blockSize, Parallel parallel) {
        int tasks = Parallel.chunkCount(rows, ROWS_PER_TASK);
        double[] losses = new double[tasks];
        parallel.forEach(tasks, task -> {
            int first = task * ROWS_PER_TASK, count = Math.min(ROWS_PER_TASK, rows - first);
            losses[task] = rowBand(w, first, count, cols, u, quantizer, blockSize, parallel);
        });
        double loss = 0;
        for (double l : losses) loss += l;
        return loss;
    }

    /** GPTQ on rows {@code [first, first + count)}: blocks of columns, each closed by its lazy batch update. */
    private static double rowBand(float[] w, int first, int count, int cols, float[] u, ColumnQuantizer quantizer, int blockSize, Parallel parallel) {
        int width = Math.min(blockSize, cols);
        float[] errors = new float[count * width], column = new float[count];
        int band = first * cols;
        double loss = 0;
        for (int i1 = 0; i1 < cols; i1 += blockSize) {
            int i2 = Math.min(i1 + blockSize, cols);
            for (int i = i1; i < i2; i++) {
                float d = u[i * cols + i];
                for (int r = 0; r < count; r++) {
                    int at = band + r * cols + i;
                    float value = w[at], q = quantizer.quantize(value, first + r, i);
                    float diff = value - q;
                    w[at] = q;
                    column[r] = diff / d;
                    errors[r * width + (i - i1)] = -column[r];
                    loss += (double) (diff * diff) / ((double) d * d) / 2;
                }
                OuterUpdate.subtractOuter(w, band, cols, count, column, 0, u, i * cols, i + 1, i2);
            }
            if (i2 < cols)
                Gemm.multiplyAdd(new FloatMatrix(errors, 0, width, 1, count, i2 - i1), FloatMatrix.block(u, cols, i1, i2, i2 - i1, cols - i2),
                        w, band + i2, cols, parallel);
        }
        return loss;
    }

    /** Columns by descending Hessian diagonal (stable for ties). */
    static int[] descendingDiagonal(float[] h, int n) {
        return IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble((Integer i) -> h[i * n + i]).reversed())
                .mapToInt(Integer::intValue).toArray();
    }

    private static float[] permuteColumns(float[] w, int rows, int cols, int[] perm) {
        float[] out = new float[w.length];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) out[r * cols + j] = w[r * cols + perm[j]];
        return out;
    }

    private static float[] unpermuteColumns(float[] w, int rows, int cols, int[] perm) {
        float[] out = new float[w.length];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) out[r * cols + perm[j]] = w[r * cols + j];
        return out;
    }

    private static float[] permuteSymmetric(float[] h, int n, int[] perm) {
        float[] out = new float[h.length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) out[i * n + j] = h[perm[i] * n + perm[j]];
        return out;
    }

    /** Columns no input ever reached: unit diagonal, zero weight. */
    private static void maskDeadColumns(float[] w, int rows, int cols, float[] h) {
        for (int c = 0; c < cols; c++) {
            if (h[c * cols + c] != 0f) continue;
            h[c * cols + c] = 1f;
            for (int r = 0; r < rows; r++) w[r * cols + c] = 0f;
        }
    }

    private static void dampen(float[] h, int n, float fraction) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += h[i * n + i];
        float damp = fraction * (float) (sum / n);
        for (int i = 0; i < n; i++) h[i * n + i] += damp;
    }

    private static float[] identity(int n) {
        float[] eye = new float[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1f;
        return eye;
    }

    private static Tensor cast(Tensor t, DType dtype) {
        return t.dtype() == dtype ? t : TensorValues.write(TensorValues.read(t), dtype, t.shape().toArray());
    }
}
