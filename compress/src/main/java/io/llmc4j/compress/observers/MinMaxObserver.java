package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.QuantizationArgs;

/**
 * Moving average of min and max ({@code minmax}): the first observation is taken as is, later ones as
 * {@code old · (1 − c) + new · c} with c = {@code averaging_constant} (default 0.01; c = 1 keeps the latest).
 */
public final class MinMaxObserver extends RangeObserver {
    public MinMaxObserver(ObservedRole role, QuantizationArgs args) {
        super(role, args);
    }

    private MinMaxObserver(MinMaxObserver other) {
        super(other);
    }

    @Override
    public String name() {
        return "minmax";
    }

    @Override
    protected void update(Observation observation) {
        float[] mins = new float[observation.qparamCount()];
        float[] maxs = new float[mins.length];
        observation.minMax(mins, maxs);
        if (previousMin() != null && options.averagingConstant() != 1.0) {
            mins = lerp(previousMin(), mins, options.averagingConstant(), observation.dtype());
            maxs = lerp(previousMax(), maxs, options.averagingConstant(), observation.dtype());
        }
        setStatistics(observation, mins, maxs);
    }

    @Override
    public Observer copy() {
        return new MinMaxObserver(this);
    }
}
