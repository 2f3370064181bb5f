package io.llmc4j.compress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.compress.recipe.Recipe;
import io.llmc4j.compress.recipe.RecipeModifier;
import io.llmc4j.compress.testing.RecordingArgs;
import io.llmc4j.compress.testing.TestModifiers;
import io.llmc4j.engine.tensor.Tensor;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The lifecycle's state machine: dispatch to modifiers and every refused call. */
class CompressionLifecycleTest {
    private static final String BATCH_ORDER = "BATCH_START -> LOSS_CALCULATED -> OPTIM_PRE_STEP -> OPTIM_POST_STEP -> BATCH_END";

    private final TestModifiers modifiers = new TestModifiers();
    private final CompressionLifecycle lifecycle = new CompressionLifecycle();

    private Recipe recipeOf(String... schemes) {
        return Recipe.of(java.util.Arrays.stream(schemes)
                .map(s -> RecipeModifier.of(modifiers.recording, RecordingArgs.DEFAULTS.withScheme(s))
                        .withSettings(ModifierSettings.NONE.withGroup(s)))
                .toArray(RecipeModifier[]::new));
    }

    private static LifecycleException refused(Runnable call) {
        return assertThrows(LifecycleException.class, call::run);
    }

    @Test
    void initializeCreatesAndInitializesTheRecipesModifiersInOrder() {
        lifecycle.initialize(recipeOf("A", "B"), StateUpdate.none().withDevice("cpu"));
        assertEquals(List.of("A:onInitialize", "B:onInitialize"), modifiers.log);
        assertEquals(2, lifecycle.modifiers().size());
        assertTrue(lifecycle.modifiers().stream().allMatch(m -> m.initialized() && !m.started()));
        assertEquals("cpu", lifecycle.state().device());
    }

    @Test
    void initializeTwiceOnlyUpdatesTheState() {
        lifecycle.initialize(recipeOf("A"), StateUpdate.none().withDevice("cpu"));
        var first = lifecycle.modifiers();
        lifecycle.initialize(recipeOf("B", "C"), StateUpdate.none().withDevice("cuda"));
        assertSame(first, lifecycle.modifiers());
        assertEquals(List.of("A:onInitialize"), modifiers.log);
        assertEquals("cuda", lifecycle.state().device());
    }

    @Test
    void eventsReachEveryModifierInOrderAtTheGlobalStep() {
        lifecycle.initialize(recipeOf("A", "B"), null);
        modifiers.log.clear();
        lifecycle.event(EventType.CALIBRATION_EPOCH_START, EventArgs.none().withGlobalStep(4));
        SequencedSet<String> names = new LinkedHashSet<>(List.of("layers.0.q", "layers.0.k"));
        lifecycle.event(EventType.SEQUENTIAL_EPOCH_END, EventArgs.subgraph(() -> names));
        assertEquals(List.of("A:onEvent CALIBRATION_EPOCH_START@4", "B:onEvent CALIBRATION_EPOCH_START@4",
                "A:onEvent SEQUENTIAL_EPOCH_END@4 [layers.0.q, layers.0.k]",
                "B:onEvent SEQUENTIAL_EPOCH_END@4 [layers.0.q, layers.0.k]"), modifiers.log);
        assertEquals(Event.at(EventType.CALIBRATION_EPOCH_START, 4), lifecycle.state().startEvent());
        assertEquals(Event.at(EventType.SEQUENTIAL_EPOCH_END, 4), lifecycle.state().lastEvent());
    }

    @Test
    void batchDataAndLossAreKeptInTheState() {
        lifecycle.initialize(recipeOf("A"), null);
        Tensor ids = Tensor.of(1f, 2f);
        Tensor loss = Tensor.of(0.5f);
        lifecycle.event(EventType.BATCH_START, EventArgs.batch(Map.of("input_ids", ids)));
        lifecycle.event(EventType.LOSS_CALCULATED, EventArgs.loss(loss));
        assertSame(ids, lifecycle.state().batchData().get("input_ids"));
        assertSame(loss, lifecycle.state().loss());
    }

    @Test
    void aFullBatchCycleIsAccepted() {
        lifecycle.initialize(recipeOf("A"), null);
        for (int batch = 0; batch < 2; batch++) {
            lifecycle.event(EventType.BATCH_START, EventArgs.none());
            lifecycle.event(EventType.LOSS_CALCULATED, EventArgs.loss(Tensor.of(1f)));
            lifecycle.event(EventType.OPTIM_PRE_STEP, EventArgs.none());
            lifecycle.event(EventType.OPTIM_POST_STEP, EventArgs.none());
            lifecycle.event(EventType.BATCH_END, EventArgs.none());
        }
        lifecycle.event(EventType.BATCH_START, EventArgs.none());
        lifecycle.event(EventType.BATCH_END, EventArgs.none());   // skipping ahead is allowed
        lifecycle.event(EventType.BATCH_END, EventArgs.none());   // so is repeating a non-start event
    }

    @Test
    void eventBeforeInitializeIsRefused() {
        var e = refused(() -> lifecycle.event(EventType.BATCH_START, EventArgs.none()));
        assertEquals("Cannot send BATCH_START before initialize: the order is " + LifecycleException.SESSION_ORDER, e.getMessage());
    }

    @Test
    void eventAfterFinalizeIsRefused() {
        lifecycle.initialize(recipeOf("A"), null);
        lifecycle.finalizeModifiers();
        var e = refused(() -> lifecycle.event(EventType.CALIBRATION_EPOCH_END, EventArgs.none()));
        assertTrue(e.getMessage().startsWith("Cannot send CALIBRATION_EPOCH_END after finalize"), e.getMessage());
        assertTrue(e.getMessage().contains(LifecycleException.SESSION_ORDER), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"INITIALIZE", "FINALIZE"})
    void initializeAndFinalizeAreNotEvents(EventType type) {
        lifecycle.initialize(recipeOf("A"), null);
        var e = refused(() -> lifecycle.event(type, EventArgs.none()));
        assertTrue(e.getMessage().startsWith("Cannot send " + type + " as an event"), e.getMessage());
        assertTrue(e.getMessage().contains(LifecycleException.SESSION_ORDER), e.getMessage());
        var viaCallbacks = refused(() -> LifecycleCallbacks.of(new CompressionSession()).event(type, EventArgs.none()));
        assertTrue(viaCallbacks.getMessage().contains(LifecycleException.SESSION_ORDER), viaCallbacks.getMessage());
    }

    @Test
    void lossCalculatedWithoutALossIsRefusedAndChangesNothing() {
        lifecycle.initialize(recipeOf("A"), null);
        lifecycle.event(EventType.BATCH_START, EventArgs.none());
        var e = refused(() -> lifecycle.event(EventType.LOSS_CALCULATED, EventArgs.none()));
        assertTrue(e.getMessage().startsWith("LOSS_CALCULATED needs a loss"), e.getMessage());
        assertTrue(e.getMessage().contains("BATCH_START -> LOSS_CALCULATED (with its loss)"), e.getMessage());
        assertNull(lifecycle.state().loss());
        lifecycle.event(EventType.LOSS_CALCULATED, EventArgs.loss(Tensor.of(2f)));
    }

    @ParameterizedTest(name = "{1} after {0}")
    @CsvSource({
            "BATCH_START, BATCH_START",
            "BATCH_END, LOSS_CALCULATED",
            "BATCH_END, OPTIM_PRE_STEP",
            "BATCH_END, OPTIM_POST_STEP",
            "OPTIM_PRE_STEP, LOSS_CALCULATED",
            "OPTIM_POST_STEP, OPTIM_PRE_STEP",
    })
    void batchEventsOutOfOrderAreRefused(EventType last, EventType next) {
        lifecycle.initialize(recipeOf("A"), null);
        if (last != EventType.BATCH_END) {
            lifecycle.event(EventType.BATCH_START, EventArgs.none());
            if (last != EventType.BATCH_START) lifecycle.event(last, EventArgs.loss(Tensor.of(1f)));
        }
        var e = refused(() -> lifecycle.event(next, EventArgs.loss(Tensor.of(1f))));
        assertEquals("Lifecycle events must follow the order " + BATCH_ORDER
                + " (BATCH_START may follow any event but itself); instead " + last + " was called before " + next, e.getMessage());
    }

    @Test
    void calibrationEventsAreNotOrderChecked() {
        lifecycle.initialize(recipeOf("A"), null);
        lifecycle.event(EventType.BATCH_START, EventArgs.none());
        lifecycle.event(EventType.CALIBRATION_EPOCH_END, EventArgs.none());
        lifecycle.event(EventType.CALIBRATION_EPOCH_START, EventArgs.none());
        lifecycle.event(EventType.LOSS_CALCULATED, EventArgs.loss(Tensor.of(1f)));
    }

    @Test
    void finalizeRunsEveryModifierAndIsRefusedBeforeInitializeAndTwice() {
        var before = refused(lifecycle::finalizeModifiers);
        assertEquals("Cannot finalize before initialize: the order is " + LifecycleException.SESSION_ORDER, before.getMessage());
        lifecycle.initialize(recipeOf("A", "B"), null);
        lifecycle.finalizeModifiers();
        assertTrue(lifecycle.finalized());
        assertTrue(modifiers.log.containsAll(List.of("A:onFinalize", "B:onFinalize")));
        var twice = refused(lifecycle::finalizeModifiers);
        assertEquals("Cannot finalize more than once: the order is " + LifecycleException.SESSION_ORDER, twice.getMessage());
    }

    @Test
    void resetFinalizesWhatIsLeftAndStartsOver() {
        lifecycle.initialize(recipeOf("A"), StateUpdate.none().withDevice("cpu"));
        lifecycle.event(EventType.BATCH_START, EventArgs.none().withGlobalStep(9));
        var modifier = lifecycle.modifiers().getFirst();
        lifecycle.reset();
        assertTrue(modifier.finalized());
        assertFalse(lifecycle.initialized());
        assertTrue(lifecycle.modifiers().isEmpty());
        assertEquals(Recipe.empty(), lifecycle.recipe());
        assertNull(lifecycle.state().device());
        assertEquals(0, lifecycle.globalStep());
        lifecycle.initialize(recipeOf("B"), null);
        lifecycle.event(EventType.BATCH_START, EventArgs.none());   // the batch order starts over too
    }

    @Test
    void modifiersWithAScheduleStartAndEndOnBatchEvents() {
        var scheduled = RecipeModifier.of(modifiers.recording, RecordingArgs.DEFAULTS.withScheme("S"))
                .withSettings(ModifierSettings.schedule(2.0, 3.0, null));
        lifecycle.initialize(Recipe.of(scheduled), null);
        for (long step = 0; step < 5; step++) {
            lifecycle.event(EventType.BATCH_START, EventArgs.none().withGlobalStep(step));
            lifecycle.event(EventType.BATCH_END, EventArgs.none());
        }
        assertEquals(List.of("S:onInitialize",
                "S:onEvent BATCH_START@0", "S:onEvent BATCH_END@0",
                "S:onEvent BATCH_START@1", "S:onEvent BATCH_END@1",
                "S:onEvent BATCH_START@2", "S:onStart BATCH_START@2", "S:onUpdate BATCH_START@2",
                "S:onEvent BATCH_END@2", "S:onUpdate BATCH_END@2",
                "S:onEvent BATCH_START@3", "S:onUpdate BATCH_START@3",
                "S:onEvent BATCH_END@3", "S:onEnd BATCH_END@3", "S:onUpdate BATCH_END@3",
                "S:onEvent BATCH_START@4", "S:onEvent BATCH_END@4"), modifiers.log);
    }

    @Test
    void sessionReturnsTheModifiedStateAndLogsLoss() {
        var session = new CompressionSession();
        var logged = new java.util.ArrayList<String>();
        session.initialize(recipeOf("A"), StateUpdate.none().withLoggers(List.of((tag, values, step) -> logged.add(tag + values + "@" + step))));
        var state = session.callbacks().batchStart(Map.of());
        assertNull(state.model());
        Tensor loss = Tensor.of(3f);
        assertSame(loss, session.callbacks().lossCalculated(loss).loss());
        session.log(EventType.LOSS_CALCULATED, 3.0);
        session.log(EventType.BATCH_END, 4.0);
        assertEquals(List.of("Loss{loss=3.0}@0"), logged);
        session.callbacks().optimPreStep();
        session.callbacks().optimPostStep();
        session.callbacks().batchEnd();
        session.callbacks().calibrationEpochStart();
        session.callbacks().sequentialEpochEnd(() -> new LinkedHashSet<>(List.of("a")));
        session.callbacks().calibrationEpochEnd();
        session.finalizeModifiers();
        assertEquals("A:onFinalize", modifiers.log.getLast());
    }
}
