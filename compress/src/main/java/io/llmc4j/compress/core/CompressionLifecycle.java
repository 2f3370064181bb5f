package io.llmc4j.compress.core;

import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.recipe.Recipe;
import java.util.List;

/**
 * The state machine of one compression run (the reference's {@code CompressionLifecycle}):
 *
 * <pre>
 *   initialize(recipe, update)  -> creates the recipe's modifiers and initializes them
 *   event(type, args)*          -> sends each event to every modifier, in recipe order
 *   finalizeModifiers()         -> finalizes every modifier; no event afterwards
 *   reset()                     -> finalizes what is left and starts over
 * </pre>
 *
 * {@code initialize} is idempotent: a second call only updates the state. Refused with a
 * {@link LifecycleException} naming the order: events before {@code initialize} or after
 * finalizing, INITIALIZE / FINALIZE passed to {@code event}, LOSS_CALCULATED without a loss,
 * batch events out of {@link EventOrder}, finalizing before initializing or twice.
 *
 * <p>Each event reaches the modifiers as an {@link Event} at the lifecycle's global step (which
 * {@link EventArgs#globalStep()} can move); the reference always sends step 0 there, which makes
 * a modifier's {@code start}/{@code end} meaningless for lifecycle events. A refused event leaves
 * the lifecycle unchanged (the reference records the batch order before checking the loss).
 * Not thread-safe.
 */
public final class CompressionLifecycle {
    private static final System.Logger LOG = System.getLogger(CompressionLifecycle.class.getName());

    private State state = new State();
    private Recipe recipe = Recipe.empty();
    private List<Modifier> modifiers = List.of();
    private boolean initialized;
    private boolean finalized;
    private EventOrder order = new EventOrder();
    private long globalStep;

    /**
     * Updates the state; the first time, also creates {@code recipe}'s modifiers (none when null)
     * and initializes them in order.
     */
    public void initialize(Recipe newRecipe, StateUpdate update) {
        state.update(update == null ? StateUpdate.none() : update);
        if (initialized) return;
        recipe = newRecipe == null ? Recipe.empty() : newRecipe;
        modifiers = recipe.createModifiers();
        for (Modifier modifier : modifiers) modifier.initialize(state);
        initialized = true;
    }

    /** Sends one event to every modifier; see the class comment for what is refused. */
    public void event(EventType type, EventArgs args) {
        EventArgs given = args == null ? EventArgs.none() : args;
        if (!initialized)
            throw new LifecycleException("Cannot send " + type + " before initialize: the order is " + LifecycleException.SESSION_ORDER);
        if (finalized)
            throw new LifecycleException("Cannot send " + type + " after finalize: the order is " + LifecycleException.SESSION_ORDER);
        if (type == EventType.INITIALIZE || type == EventType.FINALIZE)
            throw new LifecycleException("Cannot send " + type + " as an event: call " + (type == EventType.INITIALIZE
                    ? "initialize(...)" : "finalizeModifiers()") + " instead; the order is " + LifecycleException.SESSION_ORDER);
        order.check(type);
        if (type == EventType.LOSS_CALCULATED && given.loss() == null)
            throw new LifecycleException("LOSS_CALCULATED needs a loss (EventArgs.loss(...)); batch events go "
                    + "BATCH_START -> LOSS_CALCULATED (with its loss) -> OPTIM_PRE_STEP -> OPTIM_POST_STEP -> BATCH_END");
        order.record(type);
        if (given.globalStep() != null) globalStep = given.globalStep();
        Event event = Event.at(type, globalStep);
        state.recordEvent(event, given);
        for (Modifier modifier : modifiers) modifier.updateEvent(state, event, given);
    }

    /** Finalizes every modifier, in order. */
    public void finalizeModifiers() {
        if (!initialized)
            throw new LifecycleException("Cannot finalize before initialize: the order is " + LifecycleException.SESSION_ORDER);
        if (finalized)
            throw new LifecycleException("Cannot finalize more than once: the order is " + LifecycleException.SESSION_ORDER);
        for (Modifier modifier : modifiers) modifier.finalize(state);
        finalized = true;
    }

    /**
     * Finalizes the modifiers that are initialized and not yet finalized (a failure is logged and
     * does not stop the reset), then returns to a fresh state with an empty recipe.
     */
    public void reset() {
        for (Modifier modifier : modifiers) {
            if (!modifier.initialized() || modifier.finalized()) continue;
            try {
                modifier.finalize(state);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "finalizing " + modifier + " during reset failed", e);
            }
        }
        state = new State();
        recipe = Recipe.empty();
        modifiers = List.of();
        initialized = false;
        finalized = false;
        order = new EventOrder();
        globalStep = 0;
    }

    /** Allows {@code initialize} again for a new stage; the state, recipe and modifiers stay. */
    void resetStage() {
        initialized = false;
        finalized = false;
    }

    public State state() {
        return state;
    }

    public Recipe recipe() {
        return recipe;
    }

    /** The modifiers created from the recipe, in order (empty before initialize). */
    public List<Modifier> modifiers() {
        return modifiers;
    }

    public boolean initialized() {
        return initialized;
    }

    public boolean finalized() {
        return finalized;
    }

    public long globalStep() {
        return globalStep;
    }
}
