package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.GlobalScale;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QParamsCalculator;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.compress.quantization.TorchArithmetic;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.NonFiniteValuesException;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The shared part of min/max-statistics observers (llm-compressor {@code Observer}): flattening into the
 * canonical {@link Observation}, holding {@code min_vals}/{@code max_vals}, and {@code get_qparams}: for
 * tensor_group a global scale from the statistics' absmax ({@link GlobalScale}), then
 * {@link QParamsCalculator}, then deleting the statistics. Subclasses decide how a new observation
 * updates the statistics. Not thread-safe.
 */
public abstract class RangeObserver implements Observer {
    protected final ObservedRole role;
    protected final QuantizationArgs args;
    protected final ObserverOptions options;
    private float[] minVals;
    private float[] maxVals;
    private long[] shape;
    private DType dtype;

    protected RangeObserver(ObservedRole role, QuantizationArgs args) {
        this.role = role;
        this.args = args;
        this.options = ObserverOptions.of(args.observerKwargs());
    }

    /** Copy constructor for {@link #copy()}. */
    protected RangeObserver(RangeObserver other) {
        this.role = other.role;
        this.args = other.args;
        this.options = other.options;
        this.minVals = other.minVals == null ? null : other.minVals.clone();
        this.maxVals = other.maxVals == null ? null : other.maxVals.clone();
        this.shape = other.shape;
        this.dtype = other.dtype;
    }

    /** Folds a flattened observation into the statistics; see {@link #setStatistics} and {@link #previousMin()}. */
    protected abstract void update(Observation observation);

    @Override
    public final void observe(Tensor value) {
        if (value.elementCount() == 0) return;
        Observation observation = CalibrationLayout.flatten(value, role, args);
        requireFinite(observation);
        if (dtype != null && (observation.dtype() != dtype || !Arrays.equals(observation.qparamShape(), shape)))
            throw new IllegalArgumentException(name() + " observer for " + role.baseName() + ": observation " + observation.dtype()
                    + Arrays.toString(observation.qparamShape()) + " does not match the statistics " + dtype + Arrays.toString(shape));
        update(observation);
    }

    /**
     * Refuses NaN and ±Inf before they reach the statistics (min/max would carry them into the
     * scales); the caller adds the module's name.
     */
    private void requireFinite(Observation observation) {
        float[] values = observation.values();
        for (int i = 0; i < values.length; i++) {
            if (Float.isFinite(values[i])) continue;
            long count = 0;
            for (float v : values) if (!Float.isFinite(v)) count++;
            throw new NonFiniteValuesException(role.baseName() + " holds " + count + " non-finite value" + (count == 1 ? "" : "s") + " of "
                    + values.length + " (" + (Float.isNaN(values[i]) ? "NaN" : values[i] > 0 ? "+Inf" : "-Inf")
                    + " first); its quantization scale would not be finite");
        }
    }

    @Override
    public final boolean hasStatistics() {
        return minVals != null;
    }

    /** The statistics before this update, or null on the first observation. */
    protected final float[] previousMin() {
        return minVals;
    }

    protected final float[] previousMax() {
        return maxVals;
    }

    protected final void setStatistics(Observation observation, float[] mins, float[] maxs) {
        this.minVals = mins;
        this.maxVals = maxs;
        this.shape = observation.qparamShape();
        this.dtype = observation.dtype();
    }

    /** {@code start · (1 − w) + end · w} in {@code dtype}, the library's {@code lerp} (weights cast to f32). */
    protected static float[] lerp(float[] start, float[] end, double weight, DType dtype) {
        float keep = (float) (1.0 - weight);
        float take = (float) weight;
        float[] out = new float[start.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = TorchArithmetic.round(dtype, TorchArithmetic.round(dtype, start[i] * keep) + TorchArithmetic.round(dtype, end[i] * take));
        }
        return out;
    }

    @Override
    public final Tensor minVals() {
        requireStatistics();
        return TensorValues.write(minVals, dtype, shape);
    }

    @Override
    public final Tensor maxVals() {
        requireStatistics();
        return TensorValues.write(maxVals, dtype, shape);
    }

    @Override
    public final float absMax() {
        requireStatistics();
        float lo = minVals[0], hi = maxVals[0];
        for (int i = 1; i < minVals.length; i++) {
            lo = Math.min(lo, minVals[i]);
            hi = Math.max(hi, maxVals[i]);
        }
        return Math.max(-lo, hi);
    }

    @Override
    public final QParams qparams(List<Observer> fused) {
        requireStatistics();
        Tensor global = null;
        if (args.strategy() == QuantizationStrategy.TENSOR_GROUP) {
            float absmax = absMax();
            for (Observer other : fused) absmax = Math.max(absmax, other.absMax());
            global = TensorValues.write(new float[] {GlobalScale.fromAbsmax(Math.abs(absmax), dtype)}, DType.F32, 1);
        }
        QParams out = QParamsCalculator.calculate(minVals(), maxVals(), args, global);
        minVals = null;
        maxVals = null;
        return out;
    }

    private void requireStatistics() {
        if (minVals == null)
            throw new IllegalStateException("No statistics available in the " + name() + " observer for " + role.baseName() + ". Call observe(value) first.");
    }
}
