package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.QuantizationArgs;

/** Min/max of the latest observation only ({@code memoryless_minmax}, the default for weights). */
public final class MemorylessMinMaxObserver extends RangeObserver {
    public MemorylessMinMaxObserver(ObservedRole role, QuantizationArgs args) {
        super(role, args);
    }

    private MemorylessMinMaxObserver(MemorylessMinMaxObserver other) {
        super(other);
    }

    @Override
    public String name() {
        return "memoryless_minmax";
    }

    @Override
    protected void update(Observation observation) {
        float[] mins = new float[observation.qparamCount()];
        float[] maxs = new float[mins.length];
        observation.minMax(mins, maxs);
        setStatistics(observation, mins, maxs);
    }

    @Override
    public Observer copy() {
        return new MemorylessMinMaxObserver(this);
    }
}
