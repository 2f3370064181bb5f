package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.QuantizationArgs;

/** The MSE-optimal shrunk range of the latest observation only ({@code memoryless_mse}; see {@link MseGridSearch}). */
public final class MemorylessMseObserver extends RangeObserver {
    public MemorylessMseObserver(ObservedRole role, QuantizationArgs args) {
        super(role, args);
    }

    private MemorylessMseObserver(MemorylessMseObserver other) {
        super(other);
    }

    @Override
    public String name() {
        return "memoryless_mse";
    }

    @Override
    protected void update(Observation observation) {
        float[] mins = new float[observation.qparamCount()];
        float[] maxs = new float[mins.length];
        MseGridSearch.search(observation, args, options, mins, maxs);
        setStatistics(observation, mins, maxs);
    }

    @Override
    public Observer copy() {
        return new MemorylessMseObserver(this);
    }
}
