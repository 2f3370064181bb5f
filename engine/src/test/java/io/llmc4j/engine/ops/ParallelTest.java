package io.llmc4j.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
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
    void closeStopsThePoolThreads() throws InterruptedException {
        Set<Thread> before = computeThreads();
        Parallel parallel = new Parallel(3);
        AtomicLong sum = new AtomicLong();
        parallel.forEach(100, sum::addAndGet);
        Set<Thread> started = computeThreads();
        started.removeAll(before);
        assertEquals(2, started.size(), "a pool of 3 threads starts 2 workers: " + started);
        parallel.close();
        for (Thread worker : started) {
            worker.join(10_000);
            assertFalse(worker.isAlive(), worker.getName() + " still runs after close()");
        }
        assertEquals(4950, sum.get());
    }

    @Test
    void concurrentCallersShareThePool() throws Exception {
        try (Parallel parallel = new Parallel(2)) {
            AtomicLong sum = new AtomicLong();
            Thread other = new Thread(() -> {
                for (int round = 0; round < 200; round++) parallel.forEach(16, sum::addAndGet);
            });
            other.start();
            for (int round = 0; round < 200; round++) parallel.forEach(16, sum::addAndGet);
            other.join();
            assertEquals(2 * 200 * 120, sum.get());
        }
    }

    private static Set<Thread> computeThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("llmc4j-compute-") && t.isAlive()) threads.add(t);
        return threads;
    }

    @Test
    void chunkCountCoversTheItems() {
        assertEquals(1, Parallel.chunkCount(0, 10));
        assertEquals(1, Parallel.chunkCount(10, 10));
        assertEquals(2, Parallel.chunkCount(11, 10));
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
    }
}
