package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.QuantizationArgs;

/**
 * Moving average of per-batch MSE-optimal ranges ({@code mse}, llm-compressor {@code MovingAverageMSEObserver}):
 * each batch runs {@link MseGridSearch}; the first result is taken as is, later ones are averaged with
 * {@code averaging_constant} like {@link MinMaxObserver}.
 */
public final class MseObserver extends RangeObserver {
    public MseObserver(ObservedRole role, QuantizationArgs args) {
        super(role, args);
    }

    private MseObserver(MseObserver other) {
        super(other);
    }

    @Override
    public String name() {
        return "mse";
    }

    @Override
    protected void update(Observation observation) {
        float[] mins = new float[observation.qparamCount()];
        float[] maxs = new float[mins.length];
        MseGridSearch.search(observation, args, options, mins, maxs);
        if (previousMin() != null && options.averagingConstant() != 1.0) {
            mins = lerp(previousMin(), mins, options.averagingConstant(), observation.dtype());
            maxs = lerp(previousMax(), maxs, options.averagingConstant(), observation.dtype());
        }
        setStatistics(observation, mins, maxs);
    }

    @Override
    public Observer copy() {
        return new MseObserver(this);
    }
}
