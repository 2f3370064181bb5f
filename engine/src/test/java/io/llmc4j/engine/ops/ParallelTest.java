package io.llmc4j.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void runsEveryTaskExactlyOnce() {
        try (Parallel parallel = new Parallel(4)) {
            for (int tasks : new int[] {0, 1, 3, 4, 5, 1000}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(tasks);
                parallel.forEach(tasks, seen::incrementAndGet);
                for (int i = 0; i < tasks; i++) assertEquals(1, seen.get(i), "task " + i + " of " + tasks);
            }
        }
    }

    @Test
    void rethrowsTheFirstFailure() {
        IllegalStateException boom = new IllegalStateException("boom");
        try (Parallel parallel = new Parallel(3)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> parallel.forEach(50, i -> {
                if (i == 17) throw boom;
            }));
            assertSame(boom, thrown);
            AtomicLong sum = new AtomicLong();
            parallel.forEach(10, sum::addAndGet);                     // the pool still works afterwards
            assertEquals(45, sum.get());
        }
    }

    @Test
    void nestedLoopsRunInlineWithoutDeadlock() {
        try (Parallel parallel = new Parallel(2)) {
            AtomicLong count = new AtomicLong();
            parallel.forEach(8, i -> parallel.forEach(8, j -> count.incrementAndGet()));
            assertEquals(64, count.get());
        }
    }

    @Test
    void chunkCountCoversTheItems() {
        assertEquals(1, Parallel.chunkCount(0, 10));
        assertEquals(1, Parallel.chunkCount(10, 10));
        assertEquals(2, Parallel.chunkCount(11, 10));
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
    }
}
