package io.llmc4j.compress.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.recipe.Recipe;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The active session is per thread; create() scopes nest and restore. */
class SessionsTest {

    @Test
    void theActiveSessionIsStablePerThreadAndDistinctAcrossThreads() throws Exception {
        CompressionSession mine = Sessions.active();
        assertSame(mine, Sessions.active());
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            CompressionSession theirs = pool.submit(Sessions::active).get();
            assertNotSame(mine, theirs);
            assertSame(theirs, pool.submit(Sessions::active).get());
        }
    }

    @Test
    void createScopesNestAndRestoreThePreviousSession() {
        CompressionSession outer = Sessions.active();
        try (SessionScope first = Sessions.create()) {
            assertSame(first.session(), Sessions.active());
            assertNotSame(outer, first.session());
            try (SessionScope second = Sessions.create()) {
                assertSame(second.session(), Sessions.active());
                assertSame(second.session(), LifecycleCallbacksProbe.session());
            }
            assertSame(first.session(), Sessions.active());
        }
        assertSame(outer, Sessions.active());
    }

    @Test
    void aScopeOnOneThreadDoesNotChangeAnotherThreadsSession() throws Exception {
        CompressionSession before = Sessions.active();
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicReference<CompressionSession> inside = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try (SessionScope scope = Sessions.create()) {
                inside.set(scope.session());
                opened.countDown();
                checked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        opened.await();
        assertSame(before, Sessions.active());
        assertNotSame(before, inside.get());
        checked.countDown();
        other.join();
    }

    @Test
    void closingOutOfOrderIsRefused() {
        SessionScope outer = Sessions.create();
        SessionScope inner = Sessions.create();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
        outer.close();   // closing twice is harmless
    }

    @Test
    void resetResetsTheActiveSession() {
        try (SessionScope scope = Sessions.create()) {
            scope.session().initialize(Recipe.empty(), null);
            assertTrue(scope.session().lifecycle().initialized());
            Sessions.reset();
            assertFalse(scope.session().lifecycle().initialized());
        }
    }

    @Test
    void activeCallbacksFollowTheActiveSessionAtEachCall() {
        LifecycleCallbacks callbacks = LifecycleCallbacks.active();
        try (SessionScope scope = Sessions.create()) {
            scope.session().initialize(Recipe.empty(), null);
            callbacks.calibrationEpochStart();
            assertSame(EventType.CALIBRATION_EPOCH_START, scope.session().state().lastEvent().type());
        }
        try (SessionScope _ = Sessions.create()) {
            assertThrows(LifecycleException.class, callbacks::calibrationEpochStart);   // not initialized
        }
    }

    /** Reads the active session the way code deep inside a pipeline would. */
    private static final class LifecycleCallbacksProbe {
        static CompressionSession session() {
            return Sessions.active();
        }
    }
}
