package io.llmc4j.compress.observers;

import io.llmc4j.compress.quantization.QuantizationArgs;

/** Running min and max over every observation ({@code static_minmax}, e.g. FP8 static input scales). */
public final class StaticMinMaxObserver extends RangeObserver {
    public StaticMinMaxObserver(ObservedRole role, QuantizationArgs args) {
        super(role, args);
    }

    private StaticMinMaxObserver(StaticMinMaxObserver other) {
        super(other);
    }

    @Override
    public String name() {
        return "static_minmax";
    }

    @Override
    protected void update(Observation observation) {
        float[] mins = new float[observation.qparamCount()];
        float[] maxs = new float[mins.length];
        observation.minMax(mins, maxs);
        float[] oldMin = previousMin(), oldMax = previousMax();
        if (oldMin != null) {
            for (int i = 0; i < mins.length; i++) {
                mins[i] = Math.min(mins[i], oldMin[i]);
                maxs[i] = Math.max(maxs[i], oldMax[i]);
            }
        }
        setStatistics(observation, mins, maxs);
    }

    @Override
    public Observer copy() {
        return new StaticMinMaxObserver(this);
    }
}
