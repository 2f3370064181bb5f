package io.llmc4j.compress.oneshot;

import io.llmc4j.compress.core.LifecycleCallbacks;
import io.llmc4j.compress.core.SubgraphInfo;
import io.llmc4j.compress.pipelines.CalibrationCallbacks;
import io.llmc4j.compress.pipelines.sequential.Subgraph;
import java.util.LinkedHashSet;

/** Forwards a pipeline's callbacks to a compression session's lifecycle events. */
final class SessionCallbacks implements CalibrationCallbacks {
    private final LifecycleCallbacks callbacks;

    SessionCallbacks(LifecycleCallbacks callbacks) {
        this.callbacks = callbacks;
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
