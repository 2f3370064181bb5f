package io.llmc4j.compress.core;

import io.llmc4j.engine.tensor.Tensor;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Named entry points for the events pipelines and training loops send (the reference's
 * {@code LifecycleCallbacks}), bound to one session ({@link #of}) or to whichever session is
 * active on the calling thread at each call ({@link #active()}).
 */
public final class LifecycleCallbacks {
    private final Supplier<CompressionSession> session;

    private LifecycleCallbacks(Supplier<CompressionSession> session) {
        this.session = session;
    }

    public static LifecycleCallbacks of(CompressionSession session) {
        return new LifecycleCallbacks(() -> session);
    }

    /** Callbacks that go to {@link Sessions#active()} at the time of each call. */
    public static LifecycleCallbacks active() {
        return new LifecycleCallbacks(Sessions::active);
    }

    /** Sends any event but INITIALIZE and FINALIZE, which have their own session methods. */
    public ModifiedState event(EventType type, EventArgs args) {
        if (type == EventType.INITIALIZE || type == EventType.FINALIZE)
            throw new LifecycleException("Cannot send " + type + " as an event: use the session's "
                    + (type == EventType.INITIALIZE ? "initialize(...)" : "finalizeModifiers()") + "; the order is "
                    + LifecycleException.SESSION_ORDER);
        return session.get().event(type, args);
    }

    public ModifiedState batchStart(Map<String, Tensor> batchData) {
        return event(EventType.BATCH_START, EventArgs.batch(batchData));
    }

    public ModifiedState lossCalculated(Tensor loss) {
        return event(EventType.LOSS_CALCULATED, EventArgs.loss(loss));
    }

    public ModifiedState optimPreStep() {
        return event(EventType.OPTIM_PRE_STEP, EventArgs.none());
    }

    public ModifiedState optimPostStep() {
        return event(EventType.OPTIM_POST_STEP, EventArgs.none());
    }

    public ModifiedState batchEnd() {
        return event(EventType.BATCH_END, EventArgs.none());
    }

    /** Before calibration batches flow through the model for one epoch. */
    public ModifiedState calibrationEpochStart() {
        return event(EventType.CALIBRATION_EPOCH_START, EventArgs.none());
    }

    /** After {@code subgraph} saw every calibration batch: modifiers compress its modules now. */
    public ModifiedState sequentialEpochEnd(SubgraphInfo subgraph) {
        return event(EventType.SEQUENTIAL_EPOCH_END, EventArgs.subgraph(subgraph));
    }

    /** After the whole model saw every calibration batch. */
    public ModifiedState calibrationEpochEnd() {
        return event(EventType.CALIBRATION_EPOCH_END, EventArgs.none());
    }
}
