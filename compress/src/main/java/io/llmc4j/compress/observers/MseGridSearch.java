package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.GlobalScale;
import io.llmc4j.compress.quantization.ParamLayout;
import io.llmc4j.compress.quantization.QParamsCalculator;
import io.llmc4j.compress.quantization.QdqKernel;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.TorchArithmetic;
import io.llmc4j.engine.tensor.DType;

/**
 * The MSE range search of llm-compressor's MSE observers ({@code _grid_search_mse}, eager path): for
 * {@code i < int(maxshrink · grid)}, shrink the observed min and max by the same {@code p = 1 − i/grid},
 * compute candidate qparams, fake-quantize the observation with one scale per
 * qparam position (the library's TOKEN trick), and score {@code Σ |fq − x|^norm} over observations and
 * group. For tensor_group args (NVFP4) each candidate also gets its own global scale per qparam
 * position, {@code generate_gparam(shrunk min, shrunk max)} (the library's {@code optimize_global_scale}),
 * so the FP8 rounding of group scales does not bias the search. A candidate replaces the best only when strictly smaller; the search stops after
 * {@code patience} steps without any improvement.
 *
 * <p>The error is summed in double and rounded once to the observed dtype, where torch sums in f32;
 * a near-tie can therefore resolve differently (the golden README allows this). Stateless.
 */
public final class MseGridSearch {
    private MseGridSearch() {
    }

    /** Fills {@code bestMin}/{@code bestMax} (length = qparam count) with the best shrunk range. */
    public static void search(Observation observation, QuantizationArgs args, ObserverOptions options, float[] bestMin, float[] bestMax) {
        DType dtype = observation.dtype();
        int q = observation.qparamCount();
        float[] min = new float[q], max = new float[q];
        observation.minMax(min, max);
        float expand = (float) options.expand();
        for (int i = 0; i < q; i++) {
            min[i] = TorchArithmetic.round(dtype, min[i] * expand);
            max[i] = TorchArithmetic.round(dtype, max[i] * expand);
        }
        System.arraycopy(min, 0, bestMin, 0, q);
        System.arraycopy(max, 0, bestMax, 0, q);
        float[] bestError = new float[q];
        java.util.Arrays.fill(bestError, (float) TorchArithmetic.maxValue(dtype));

        long[] qparamShape = observation.qparamShape();
        long[] scaleShape = java.util.Arrays.copyOf(qparamShape, qparamShape.length + 1);
        scaleShape[qparamShape.length] = 1;
        ParamLayout layout = ParamLayout.broadcast(observation.layoutShape(), scaleShape);
        float[] values = observation.values();
        float[] fq = new float[values.length];
        float[] shrunkMin = new float[q], shrunkMax = new float[q];
        float[] scale = new float[q], zero = new float[q], error = new float[q];
        boolean perPositionGlobal = args.strategy() == QuantizationStrategy.TENSOR_GROUP;
        float[] global = perPositionGlobal ? new float[q] : null;
        float norm = (float) options.norm();
        int stale = 0;
        for (int step = 0, steps = options.searchSteps(); step < steps; step++) {
            float p = (float) (1 - step / options.grid());
            for (int i = 0; i < q; i++) {
                shrunkMin[i] = TorchArithmetic.round(dtype, min[i] * p);
                shrunkMax[i] = TorchArithmetic.round(dtype, max[i] * p);
            }
            if (perPositionGlobal) {
                for (int i = 0; i < q; i++) {
                    float absmax = Math.max(Math.abs(Math.min(shrunkMin[i], 0f)), Math.abs(Math.max(shrunkMax[i], 0f)));
                    global[i] = GlobalScale.fromAbsmax(absmax, dtype);
                }
            }
            QParamsCalculator.calculate(shrunkMin, shrunkMax, dtype, args, global, scale, zero);
            DType scaleType = perPositionGlobal ? TorchArithmetic.promote(dtype, DType.F32) : dtype;
            new QdqKernel(args, dtype, scaleType, scale, zero, global, DType.F32).fakeQuantize(values, fq, layout);
            errors(observation, fq, norm, error);
            boolean improved = false;
            for (int i = 0; i < q; i++) {
                if (error[i] < bestError[i]) {
                    bestError[i] = error[i];
                    bestMin[i] = shrunkMin[i];
                    bestMax[i] = shrunkMax[i];
                    improved = true;
                }
            }
            if (improved) {
                stale = 0;
            } else if (++stale >= options.patience()) {
                break;
            }
        }
    }

    /** {@code Σ_{n,g} |fq − x|^norm} per qparam position, each elementwise step rounded to the dtype. */
    private static void errors(Observation observation, float[] fq, float norm, float[] out) {
        DType dtype = observation.dtype();
        float[] x = observation.values();
        int q = observation.qparamCount(), g = observation.groupSize();
        double[] sums = new double[q];
        for (int n = 0, at = 0; n < observation.observations(); n++) {
            for (int p = 0; p < q; p++, at += g) {
                double sum = 0;
                for (int i = at, end = at + g; i < end; i++) {
                    float diff = Math.abs(TorchArithmetic.round(dtype, fq[i] - x[i]));
                    sum += TorchArithmetic.round(dtype, (float) Math.pow(diff, norm));
                }
                sums[p] += sum;
            }
        }
        for (int p = 0; p < q; p++) out[p] = TorchArithmetic.round(dtype, (float) sums[p]);
    }
}
