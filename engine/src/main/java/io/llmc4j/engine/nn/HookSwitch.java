package io.llmc4j.engine.nn;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process-wide "hooks disabled" switch (LLM Compressor's {@code HooksMixin.disable_hooks}).
 * While any {@link #disable()} scope is open, no forward hook or pre-hook of any module runs.
 * Scopes nest.
 */
public final class HookSwitch {
    private static final AtomicInteger DISABLED_DEPTH = new AtomicInteger();

    private HookSwitch() {
    }

    /** Disables all hooks until the returned scope is closed. */
    public static Scope disable() {
        DISABLED_DEPTH.incrementAndGet();
        return new Scope();
    }

    public static boolean hooksEnabled() {
        return DISABLED_DEPTH.get() == 0;
    }

    /** An open "hooks disabled" scope. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                DISABLED_DEPTH.decrementAndGet();
            }
        }
    }
}
