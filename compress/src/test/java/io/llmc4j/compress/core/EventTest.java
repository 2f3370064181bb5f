package io.llmc4j.compress.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Event's derived properties, checked against values computed by hand (and with Python's // and %). */
class EventTest {

    private static Event epochEvent(int stepsPerEpoch, Integer batchesPerStep, long step, long batch) {
        return new Event(EventType.BATCH_START, stepsPerEpoch, batchesPerStep, 1, step, batch);
    }

    @Test
    void defaultsMatchTheReference() {
        Event e = Event.of(EventType.BATCH_END);
        assertEquals(new Event(EventType.BATCH_END, null, null, 1, 0, 0), e);
        assertFalse(e.epochBased());
        assertEquals(0.0, e.currentIndex());
    }

    @Test
    void notEpochBasedIndexIsTheGlobalStepAndEpochPropertiesFail() {
        Event e = Event.at(EventType.BATCH_START, 7);
        assertFalse(e.epochBased());
        assertEquals(7.0, e.currentIndex());
        for (Runnable property : new Runnable[] {e::epoch, e::epochFull, e::epochStep, e::epochBatch}) {
            var error = assertThrows(IllegalStateException.class, property::run);
            assertTrue(error.getMessage().contains("steps_per_epoch"), error.getMessage());
        }
    }

    @ParameterizedTest(name = "steps/epoch {0}, batches/step {1}, step {2}, batch {3}")
    @CsvSource(nullValues = "null", value = {
            // steps, batches, step, batch -> epoch, epoch_full, epoch_step, epoch_batch
            "4, 2,    10, 21,  2,  2.5,   2, 5",     // 21 mod (4*2)
            "4, null, 10, 21,  2,  2.5,   2, 1",     // 21 mod 4
            "4, 0,    10, 21,  2,  2.5,   2, 1",     // 0 batches/step counts as unset
            "4, 1,    8,  8,   2,  2.0,   0, 0",
            "3, 5,    1,  14,  0,  0.3333333333333333, 1, 14",
            "4, null, -3, -3, -1, -0.75,  1, 1",     // Python: -3 // 4 = -1, -3 % 4 = 1
    })
    void epochProperties(int steps, Integer batches, long step, long batch, long epoch, double epochFull, long epochStep,
                         long epochBatch) {
        Event e = epochEvent(steps, batches, step, batch);
        assertTrue(e.epochBased());
        assertEquals(epoch, e.epoch());
        assertEquals(epochFull, e.epochFull());
        assertEquals(epochStep, e.epochStep());
        assertEquals(epochBatch, e.epochBatch());
        assertEquals(epochFull, e.currentIndex());
    }

    @ParameterizedTest(name = "steps/epoch {0}, batches/step {1}, index {2}")
    @CsvSource(nullValues = "null", value = {
            // steps, batches, index -> global_step, global_batch
            "null, 3,    5.7,  5,  15",   // int(5.7) * 3
            "null, 1,    5.7,  5,  5",    // batches < 2: batch = step
            "null, null, -1.5, -1, -1",   // int() truncates toward zero
            "4,    null, 2.6,  10, 10",   // int(2.6 * 4) = int(10.4)
            "4,    2,    1.5,  6,  12",
    })
    void settingTheCurrentIndex(Integer steps, Integer batches, double index, long step, long batch) {
        Event e = new Event(EventType.BATCH_START, steps, batches, 1, 0, 0).withCurrentIndex(index);
        assertEquals(step, e.globalStep());
        assertEquals(batch, e.globalBatch());
    }

    @ParameterizedTest(name = "step {0} (steps/epoch {1}): start {2}, end {3}, update {4} -> {5}")
    @CsvSource(nullValues = "null", value = {
            "5,  null, null, null, null, true",
            "5,  null, 6.0,  null, null, false",   // before start
            "5,  null, 5.0,  null, null, true",    // start is inclusive
            "5,  null, null, 4.0,  null, false",   // after end
            "5,  null, null, 5.0,  null, true",    // end is inclusive
            "5,  null, 0.0,  10.0, 0.0,  true",    // update <= 0: always
            "5,  null, 0.0,  10.0, -1.0, true",
            "6,  null, 0.0,  10.0, 2.0,  true",    // 6 % 2 == 0
            "5,  null, 0.0,  10.0, 2.0,  false",   // 5 % 2 == 1
            "-3, null, null, null, 2.0,  false",   // Python: -3.0 % 2.0 == 1.0 (Java's % gives -1)
            "-4, null, null, null, 2.0,  true",
            "6,  4,    null, null, 0.5,  true",    // index 1.5, 1.5 % 0.5 == 0
            "6,  4,    null, null, 1.0,  false",   // 1.5 % 1.0 == 0.5
            "6,  4,    null, null, 0.3,  true",    // Python: 1.5 % 0.3 == 5.55e-17 < 1e-10
            "7,  10,   null, null, 0.1,  false",   // index 0.7, Python: 0.7 % 0.1 == 0.0999...
            "6,  4,    1.5,  1.5,  null, true",
            "6,  4,    1.6,  null, null, false",
    })
    void shouldUpdate(long step, Integer stepsPerEpoch, Double start, Double end, Double update, boolean expected) {
        Event e = new Event(EventType.BATCH_START, stepsPerEpoch, null, 1, step, step);
        assertEquals(expected, e.shouldUpdate(start, end, update));
    }

    @Test
    void withMethodsCopyAndLeaveTheOriginal() {
        Event original = Event.at(EventType.BATCH_START, 3);
        Event changed = original.withType(EventType.BATCH_END).withStepsPerEpoch(10).withBatchesPerStep(2)
                .withInvocationsPerStep(4).withGlobalStep(11).withGlobalBatch(22);
        assertEquals(new Event(EventType.BATCH_START, null, null, 1, 3, 3), original);
        assertEquals(new Event(EventType.BATCH_END, 10, 2, 4, 11, 22), changed);
    }

    @Test
    void nonsenseValuesAreRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new Event(null, 0, null, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Event(null, null, -1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Event(null, null, null, 0, 0, 0));
    }

    @Test
    void pythonModuloTakesTheDivisorsSign() {
        assertEquals(1.0, Event.pythonModulo(-3.0, 2.0));
        assertEquals(-1.0, Event.pythonModulo(3.0, -2.0));
        assertEquals(0.0, Event.pythonModulo(-4.0, 2.0));
        assertEquals(-0.0, Event.pythonModulo(4.0, -2.0));
        assertEquals(1.5, Event.pythonModulo(5.5, 2.0));
    }
}
