package io.llmc4j.compress.modifiers;

import io.llmc4j.compress.core.Event;
import io.llmc4j.compress.core.EventArgs;
import io.llmc4j.compress.core.EventType;
import io.llmc4j.compress.core.State;
import java.util.List;

/**
 * Base of every modifier (the reference's {@code llmcompressor.modifiers.Modifier}, same state
 * machine). A modifier is created from a recipe entry, then driven by its session:
 *
 * <pre>
 *   initialize(state)            -> onInitialize; onStart at once if start &lt;= 0 &lt; end
 *   updateEvent(state, event)    -> onEvent (always), then
 *        BATCH_START, not started, start &lt;= index &lt; end  -> onStart, onUpdate
 *        BATCH_END, not ended, index >= end             -> onEnd, onUpdate
 *        otherwise, started and not ended               -> onUpdate
 *   finalize(state)              -> onFinalize
 * </pre>
 *
 * Calibration modifiers usually leave {@code start} unset and start/end themselves in
 * {@link #onEvent} on CALIBRATION_EPOCH_START / CALIBRATION_EPOCH_END (use {@link #markStarted()}
 * and {@link #markEnded()}), compressing each subgraph on SEQUENTIAL_EPOCH_END.
 *
 * <p>Capabilities that pipelines ask about ({@link #sequentialTargets()},
 * {@link #requiresCalibrationData()}, {@link #hooksAlterCalibrationOutputs()}) are methods, overridden by the modifiers that have them;
 * callers never look at class names. Hooks go through {@link #hooks()} so they can be removed
 * together. Not thread-safe: a modifier belongs to one session.
 */
public abstract class Modifier {
    private final ModifierSettings settings;
    private final ModifierHooks hooks = new ModifierHooks();
    private boolean initialized;
    private boolean started;
    private boolean ended;
    private boolean finalized;

    protected Modifier(ModifierSettings settings) {
        this.settings = settings == null ? ModifierSettings.NONE : settings;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Runs {@link #onInitialize}; starts the modifier at once if its schedule covers index 0. */
    public final void initialize(State state) {
        if (initialized) throw new IllegalStateException("Cannot initialize " + this + ": it has already been initialized");
        if (finalized) throw new IllegalStateException("Cannot initialize " + this + ": it has already been finalized");
        initialized = onInitialize(state);
        Event start = Event.at(EventType.BATCH_START, 0);
        if (shouldStart(start)) {
            onStart(state, start, EventArgs.none());
            started = true;
        }
    }

    /** Runs {@link #onFinalize}; the modifier counts as finalized if that returns true. */
    public final void finalize(State state) {
        if (finalized) throw new IllegalStateException("Cannot finalize " + this + " twice");
        if (!initialized) throw new IllegalStateException("Cannot finalize " + this + ": it was not initialized");
        finalized = onFinalize(state);
    }

    /** Dispatches {@code event} to onEvent / onStart / onUpdate / onEnd as the class comment shows. */
    public final void updateEvent(State state, Event event, EventArgs args) {
        if (!initialized) throw new IllegalStateException("Cannot update " + this + " with " + event.type() + ": it was not initialized");
        if (finalized) throw new IllegalStateException("Cannot update " + this + " with " + event.type() + ": it was finalized");
        onEvent(state, event, args);
        if (event.type() == EventType.BATCH_START && !started && shouldStart(event)) {
            onStart(state, event, args);
            started = true;
            onUpdate(state, event, args);
            return;
        }
        if (event.type() == EventType.BATCH_END && !ended && shouldEnd(event)) {
            onEnd(state, event, args);
            ended = true;
            onUpdate(state, event, args);
            return;
        }
        if (started && !ended) onUpdate(state, event, args);
    }

    /** True when {@code start} is set, {@code start <= index} and (no end or {@code index < end}). */
    public boolean shouldStart(Event event) {
        if (settings.start() == null) return false;
        double current = event.currentIndex();
        return settings.start() <= current && (settings.end() == null || current < settings.end());
    }

    /** True when {@code end} is set and {@code index >= end}. */
    public boolean shouldEnd(Event event) {
        return settings.end() != null && event.currentIndex() >= settings.end();
    }

    // ---------------------------------------------------------------- subclass callbacks

    /** Prepares the modifier (attach schemes, hooks...); returns whether it is initialized. */
    protected abstract boolean onInitialize(State state);

    /** Releases what the modifier holds; returns whether it is finalized. */
    protected boolean onFinalize(State state) {
        return true;
    }

    /** Called once when the modifier starts; {@code event} may be a synthetic BATCH_START at step 0. */
    protected void onStart(State state, Event event, EventArgs args) {
    }

    /** Called for events while the modifier is active (see the class comment). */
    protected void onUpdate(State state, Event event, EventArgs args) {
    }

    /** Called once when the modifier ends. */
    protected void onEnd(State state, Event event, EventArgs args) {
    }

    /** Called for every event, before the start/update/end dispatch. */
    protected void onEvent(State state, Event event, EventArgs args) {
    }

    /** Records that the modifier started by itself (e.g. on CALIBRATION_EPOCH_START). */
    protected final void markStarted() {
        started = true;
    }

    /** Records that the modifier ended by itself (e.g. on CALIBRATION_EPOCH_END). */
    protected final void markEnded() {
        ended = true;
    }

    // ---------------------------------------------------------------- capabilities

    /**
     * Module type names (e.g. "LlamaDecoderLayer") the sequential pipeline should split the model
     * at for this modifier, or empty when the modifier has no preference.
     */
    public List<String> sequentialTargets() {
        return List.of();
    }

    /**
     * Whether this modifier needs calibration forwards (LLM Compressor's
     * {@code requires_calibration_data}): static activation observers, Hessians (GPTQ), activation
     * statistics (AWQ, SmoothQuant, Wanda, SparseGPT). {@code oneshot}'s default pipeline choice
     * asks every modifier: the sequential pipeline when one says true, else the data-free one (no
     * forward at all, e.g. W8A8 with dynamic activations, FP8_DYNAMIC, RTN weight-only). A modifier
     * that says true registers its hooks by {@code CALIBRATION_EPOCH_START}: the sequential pipeline
     * runs only the subgraphs that a hook, in them or after them, needs. Asked after initialize.
     */
    public boolean requiresCalibrationData() {
        return false;
    }

    /**
     * Whether this modifier's calibration hooks change the outputs they see (a forward hook that
     * returns a replacement, e.g. compressed-tensors' quantized static output activations). The
     * sequential pipeline then always reruns a subgraph to propagate, instead of keeping its
     * calibration pass's outputs when no weight changed. Asked after initialize; false by default.
     */
    public boolean hooksAlterCalibrationOutputs() {
        return false;
    }

    // ---------------------------------------------------------------- accessors

    /** This modifier's hooks; remove them all with {@code hooks().removeAll()}. */
    public final ModifierHooks hooks() {
        return hooks;
    }

    public final ModifierSettings settings() {
        return settings;
    }

    public final String group() {
        return settings.group();
    }

    public final boolean initialized() {
        return initialized;
    }

    public final boolean started() {
        return started;
    }

    public final boolean ended() {
        return ended;
    }

    public final boolean finalized() {
        return finalized;
    }

    /** The modifier's type name as recipes spell it; by default the class's simple name. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return typeName() + (settings.group() != null ? "[group " + settings.group() + "]" : "");
    }
}
