package io.llmc4j.compress.modifiers.smoothing;

import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.observers.Observer;
import io.llmc4j.compress.observers.ObserverRegistry;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * AWQ's grid search for one mapping, as pure functions of weights, activation statistics and a
 * loss: for each grid point the scales s ({@link SmoothingMath#awqScales}), each quantized balance
 * weight replaced by Q(W·s)/s (memoryless min-max qparams of W·s under the layer's weight args),
 * the parent's output error measured by the caller's loss; the scales with the least error win
 * (the first on ties, so the identity point of a grid that has it wins when nothing helps).
 */
public final class AwqSearch {
    private static final ObserverRegistry OBSERVERS = ObserverRegistry.standard();

    private AwqSearch() {
    }

    /** A balance weight under quantization: its values [rows, cols] and the weight args. */
    public record QuantizedWeight(float[] values, int rows, int cols, DType dtype, QuantizationArgs args) {
    }

    /** The best grid point's scales, its error, the error of the first point (for the report) and the index won. */
    public record Result(float[] scales, double bestError, double initialError, int bestIndex) {
    }

    /**
     * @param activationMean mean |x| per channel
     * @param weights        the balance weights that are quantized (their scaled fake-quantized
     *                       values are what {@code loss} receives, in this order)
     * @param loss           the parent's output error with the given replacement weights
     */
    public static Result search(float[] activationMean, List<QuantizedWeight> weights, List<SmoothingMath.GridPoint> grid,
                                ToDoubleFunction<List<Tensor>> loss) {
        float[] weightMean = grid.stream().anyMatch(SmoothingMath.GridPoint::duo) ? weightMean(weights) : null;
        double best = Double.POSITIVE_INFINITY, initial = Double.NaN;
        float[] bestScales = null;
        int bestIndex = -1;
        for (int i = 0; i < grid.size(); i++) {
            SmoothingMath.GridPoint point = grid.get(i);
            float[] s = SmoothingMath.awqScales(activationMean, weightMean, point.ratio(), point.duo());
            double error = loss.applyAsDouble(weights.stream().map(w -> scaledFakeQuantized(w, s)).toList());
            if (i == 0) initial = error;
            if (error < best) {
                best = error;
                bestScales = s;
                bestIndex = i;
            }
        }
        if (bestScales == null) throw new IllegalStateException("AWQ grid search found no finite error (NaN in the parent's outputs?)");
        return new Result(bestScales, best, initial, bestIndex);
    }

    /** Q(W·s)/s in the weight's dtype, shaped [rows, cols]. */
    public static Tensor scaledFakeQuantized(QuantizedWeight w, float[] s) {
        Tensor scaled = ScaleFolding.tensor(SmoothingMath.scaleColumns(w.values(), w.rows(), w.cols(), s), w.dtype(), w.rows(), w.cols());
        Observer observer = OBSERVERS.create("memoryless_minmax", ObservedRole.WEIGHT, w.args());
        observer.observe(scaled);
        QParams q = observer.qparams();
        Tensor quantized = QuantizeOps.fakeQuantize(scaled, q.scale(), q.zeroPoint(), w.args(), null, q.globalScale());
        return ScaleFolding.tensor(SmoothingMath.unscaleColumns(quantized.toFloatArray(), w.rows(), w.cols(), s), w.dtype(), w.rows(), w.cols());
    }

    /** AWQ's w̄: per column, |W| normalised by its quantization chunk's max, averaged over every row of every weight. */
    public static float[] weightMean(List<QuantizedWeight> weights) {
        List<double[]> sums = new java.util.ArrayList<>();
        long rows = 0;
        for (QuantizedWeight w : weights) {
            sums.add(SmoothingMath.normalizedColumnSums(w.values(), w.rows(), w.cols(), chunk(w)));
            rows += w.rows();
        }
        return SmoothingMath.meanOfColumnSums(sums, rows);
    }

    private static int chunk(QuantizedWeight w) {
        return switch (w.args().strategy()) {
            case TENSOR -> w.rows() * w.cols();
            case CHANNEL -> w.cols();
            case GROUP, TENSOR_GROUP -> w.args().groupSize();
            default -> throw new QuantizationConfigException("duo_scaling", "weight strategy " + w.args().strategy()
                    + " is not supported with duo_scaling; set duo_scaling: false");
        };
    }
}
