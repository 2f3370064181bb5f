package io.llmc4j.compress.core;

import io.llmc4j.compress.recipe.Recipe;
import java.util.Map;

/**
 * One compression session (the reference's {@code CompressionSession}): a
 * {@link CompressionLifecycle} and its {@link State}, with calls that return the
 * {@link ModifiedState}. Pipelines drive it through {@link #callbacks()}. Not thread-safe; see
 * {@link Sessions} for the per-thread active session.
 */
public final class CompressionSession {
    private final CompressionLifecycle lifecycle = new CompressionLifecycle();

    /** Initializes the session: updates the state and, the first time, creates and initializes the recipe's modifiers. */
    public ModifiedState initialize(Recipe recipe, StateUpdate update) {
        lifecycle.initialize(recipe, update);
        return modifiedState();
    }

    /** Sends one event to the modifiers. */
    public ModifiedState event(EventType type, EventArgs args) {
        lifecycle.event(type, args);
        return modifiedState();
    }

    /** Finalizes every modifier (the reference's {@code finalize}). */
    public ModifiedState finalizeModifiers() {
        lifecycle.finalizeModifiers();
        return modifiedState();
    }

    /** Finalizes what is left and returns to a fresh lifecycle. */
    public void reset() {
        lifecycle.reset();
    }

    /** Allows a new stage to initialize; the recipe, modifiers and model stay. */
    public void resetStage() {
        lifecycle.resetStage();
    }

    /** Logs {@code loss} to the state's loggers at the current global step, for LOSS_CALCULATED only. */
    public void log(EventType type, Double loss) {
        if (type != EventType.LOSS_CALCULATED || loss == null) return;
        for (MetricsLogger logger : lifecycle.state().loggers()) logger.logScalars("Loss", Map.of("loss", loss), lifecycle.globalStep());
    }

    /** Callbacks bound to this session. */
    public LifecycleCallbacks callbacks() {
        return LifecycleCallbacks.of(this);
    }

    public CompressionLifecycle lifecycle() {
        return lifecycle;
    }

    public State state() {
        return lifecycle.state();
    }

    private ModifiedState modifiedState() {
        return new ModifiedState(lifecycle.state().model(), lifecycle.state().loss());
    }
}
