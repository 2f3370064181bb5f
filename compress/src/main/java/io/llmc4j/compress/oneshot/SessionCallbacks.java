package io.llmc4j.compress.oneshot;

import io.llmc4j.compress.core.LifecycleCallbacks;
import io.llmc4j.compress.core.SubgraphInfo;
import io.llmc4j.compress.pipelines.CalibrationCallbacks;
import io.llmc4j.compress.pipelines.sequential.Subgraph;
import io.llmc4j.compress.modifiers.Modifier;
import java.util.LinkedHashSet;
import java.util.List;

/** Forwards a pipeline's callbacks to a compression session's lifecycle events. */
final class SessionCallbacks implements CalibrationCallbacks {
    private final LifecycleCallbacks callbacks;
    private final List<Modifier> modifiers;

    /** @param modifiers the session's modifiers, asked whether their hooks alter outputs */
    SessionCallbacks(LifecycleCallbacks callbacks, List<Modifier> modifiers) {
        this.callbacks = callbacks;
        this.modifiers = List.copyOf(modifiers);
    }

    @Override
    public boolean hooksAlterOutputs() {
        return modifiers.stream().anyMatch(Modifier::hooksAlterCalibrationOutputs);
    }

    @Override
    public void calibrationEpochStart() {
        callbacks.calibrationEpochStart();
    }

    @Override
    public void sequentialEpochEnd(Subgraph subgraph) {
        SubgraphInfo info = () -> new LinkedHashSet<>(subgraph.moduleNames());
        callbacks.sequentialEpochEnd(info);
    }

    @Override
    public void calibrationEpochEnd() {
        callbacks.calibrationEpochEnd();
    }
}
