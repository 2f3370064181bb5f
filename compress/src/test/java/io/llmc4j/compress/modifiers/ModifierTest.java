package io.llmc4j.compress.modifiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.core.Event;
import io.llmc4j.compress.core.EventArgs;
import io.llmc4j.compress.core.EventType;
import io.llmc4j.compress.core.State;
import io.llmc4j.compress.testing.RecordingArgs;
import io.llmc4j.compress.testing.RecordingModifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Modifier base's state machine and index-based schedule. */
class ModifierTest {
    private final List<String> log = new ArrayList<>();
    private final State state = new State();

    private RecordingModifier modifier(Double start, Double end) {
        return new RecordingModifier(RecordingArgs.DEFAULTS.withScheme("M"), ModifierSettings.schedule(start, end, null), log);
    }

    private static Event at(EventType type, long step) {
        return Event.at(type, step);
    }

    @ParameterizedTest(name = "start {0}, end {1}, index {2}: should start {3}, should end {4}")
    @CsvSource(nullValues = "null", value = {
            "null, null, 0, false, false",   // no start: never started by batch events
            "null, 2.0,  5, false, true",
            "0.0,  null, 0, true,  false",
            "0.0,  null, 9, true,  false",
            "2.0,  null, 1, false, false",
            "2.0,  4.0,  2, true,  false",
            "2.0,  4.0,  3, true,  false",
            "2.0,  4.0,  4, false, true",    // end is exclusive for starting, inclusive for ending
            "2.0,  4.0,  5, false, true",
            "0.0,  0.0,  0, false, true",
    })
    void scheduleIsIndexBased(Double start, Double end, long index, boolean shouldStart, boolean shouldEnd) {
        RecordingModifier m = modifier(start, end);
        assertEquals(shouldStart, m.shouldStart(at(EventType.BATCH_START, index)));
        assertEquals(shouldEnd, m.shouldEnd(at(EventType.BATCH_END, index)));
    }

    @Test
    void epochBasedEventsUseTheFractionalEpoch() {
        RecordingModifier m = modifier(0.5, 1.5);
        Event stepTwoOfFour = new Event(EventType.BATCH_START, 4, null, 1, 2, 2);   // index 0.5
        Event stepSixOfFour = new Event(EventType.BATCH_END, 4, null, 1, 6, 6);     // index 1.5
        assertTrue(m.shouldStart(stepTwoOfFour));
        assertFalse(m.shouldStart(stepTwoOfFour.withGlobalStep(1)));
        assertTrue(m.shouldEnd(stepSixOfFour));
        assertFalse(m.shouldEnd(stepSixOfFour.withGlobalStep(5)));
    }

    @Test
    void initializeStartsAtOnceWhenTheScheduleCoversIndexZero() {
        RecordingModifier m = modifier(0.0, null);
        m.initialize(state);
        assertTrue(m.initialized());
        assertTrue(m.started());
        assertEquals(List.of("M:onInitialize", "M:onStart BATCH_START@0"), log);
    }

    @Test
    void aModifierWithoutStartIsNotStartedByBatchEventsButSeesThem() {
        RecordingModifier m = modifier(null, null);
        m.initialize(state);
        m.updateEvent(state, at(EventType.BATCH_START, 0), EventArgs.none());
        m.updateEvent(state, at(EventType.BATCH_END, 0), EventArgs.none());
        assertFalse(m.started());
        assertEquals(List.of("M:onInitialize", "M:onEvent BATCH_START@0", "M:onEvent BATCH_END@0"), log);
    }

    @Test
    void startUpdateEndFollowTheReferenceDispatch() {
        RecordingModifier m = modifier(1.0, 2.0);
        m.initialize(state);
        m.updateEvent(state, at(EventType.BATCH_START, 0), EventArgs.none());
        m.updateEvent(state, at(EventType.BATCH_START, 1), EventArgs.none());
        m.updateEvent(state, at(EventType.CALIBRATION_EPOCH_END, 1), EventArgs.none());
        m.updateEvent(state, at(EventType.BATCH_END, 2), EventArgs.none());
        m.updateEvent(state, at(EventType.BATCH_START, 3), EventArgs.none());
        assertTrue(m.started());
        assertTrue(m.ended());
        assertEquals(List.of("M:onInitialize",
                "M:onEvent BATCH_START@0",
                "M:onEvent BATCH_START@1", "M:onStart BATCH_START@1", "M:onUpdate BATCH_START@1",
                "M:onEvent CALIBRATION_EPOCH_END@1", "M:onUpdate CALIBRATION_EPOCH_END@1",
                "M:onEvent BATCH_END@2", "M:onEnd BATCH_END@2", "M:onUpdate BATCH_END@2",
                "M:onEvent BATCH_START@3"), log);
    }

    @Test
    void calibrationModifiersStartAndEndThemselves() {
        var m = new CalibrationStyle();
        m.initialize(state);
        m.updateEvent(state, at(EventType.CALIBRATION_EPOCH_START, 0), EventArgs.none());
        assertTrue(m.started());
        m.updateEvent(state, at(EventType.SEQUENTIAL_EPOCH_END, 0), EventArgs.none());
        m.updateEvent(state, at(EventType.CALIBRATION_EPOCH_END, 0), EventArgs.none());
        assertTrue(m.ended());
        m.updateEvent(state, at(EventType.SEQUENTIAL_EPOCH_END, 0), EventArgs.none());
        assertEquals(List.of("CALIBRATION_EPOCH_START", "SEQUENTIAL_EPOCH_END"), m.updates);
    }

    @Test
    void outOfOrderCallsAreRefused() {
        RecordingModifier m = modifier(null, null);
        var e1 = assertThrows(IllegalStateException.class, () -> m.updateEvent(state, at(EventType.BATCH_START, 0), EventArgs.none()));
        assertTrue(e1.getMessage().contains("not initialized"), e1.getMessage());
        var e2 = assertThrows(IllegalStateException.class, () -> m.finalize(state));
        assertTrue(e2.getMessage().contains("not initialized"), e2.getMessage());
        m.initialize(state);
        var e3 = assertThrows(IllegalStateException.class, () -> m.initialize(state));
        assertTrue(e3.getMessage().contains("already been initialized"), e3.getMessage());
        m.finalize(state);
        assertTrue(m.finalized());
        var e4 = assertThrows(IllegalStateException.class, () -> m.finalize(state));
        assertTrue(e4.getMessage().contains("twice"), e4.getMessage());
        var e5 = assertThrows(IllegalStateException.class, () -> m.updateEvent(state, at(EventType.BATCH_END, 0), EventArgs.none()));
        assertTrue(e5.getMessage().contains("finalized"), e5.getMessage());
    }

    @Test
    void aFailedOnInitializeLeavesTheModifierUninitialized() {
        var m = new RecordingModifier(RecordingArgs.DEFAULTS, ModifierSettings.NONE, log, false);
        m.initialize(state);
        assertFalse(m.initialized());
        assertThrows(IllegalStateException.class, () -> m.updateEvent(state, at(EventType.BATCH_START, 0), EventArgs.none()));
    }

    @Test
    void capabilitiesDefaultToNone() {
        RecordingModifier m = modifier(null, null);
        assertEquals(List.of(), m.sequentialTargets());
        assertFalse(m.requiresCalibrationData());
        assertTrue(new CalibrationStyle().requiresCalibrationData());
        assertEquals(List.of("DecoderLayer"), new CalibrationStyle().sequentialTargets());
    }

    @Test
    void settingsAndNamesAreExposed() {
        var settings = new ModifierSettings("quant", 3, 0.0, 5.0, 1.0);
        var m = new RecordingModifier(RecordingArgs.DEFAULTS, settings, log);
        assertEquals(settings, m.settings());
        assertEquals("quant", m.group());
        assertEquals("RecordingModifier", m.typeName());
        assertEquals("RecordingModifier[group quant]", m.toString());
    }

    /** Starts on CALIBRATION_EPOCH_START and ends on CALIBRATION_EPOCH_END, like the quantization modifiers. */
    private static final class CalibrationStyle extends Modifier {
        final List<String> updates = new ArrayList<>();

        CalibrationStyle() {
            super(ModifierSettings.NONE);
        }

        @Override
        protected boolean onInitialize(State state) {
            return true;
        }

        @Override
        protected void onEvent(State state, Event event, EventArgs args) {
            if (event.type() == EventType.CALIBRATION_EPOCH_START && !started()) markStarted();
            if (event.type() == EventType.CALIBRATION_EPOCH_END && !ended()) markEnded();
        }

        @Override
        protected void onUpdate(State state, Event event, EventArgs args) {
            updates.add(event.type().name());
        }

        @Override
        public List<String> sequentialTargets() {
            return List.of("DecoderLayer");
        }

        @Override
        public boolean requiresCalibrationData() {
            return true;
        }
    }
}
