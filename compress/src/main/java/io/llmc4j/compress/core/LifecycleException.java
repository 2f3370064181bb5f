package io.llmc4j.compress.core;

/**
 * A lifecycle call made out of order: an event before {@code initialize} or after finalizing,
 * INITIALIZE/FINALIZE sent as events, a batch event out of {@link EventOrder}, a loss event
 * without a loss, or finalizing twice. The message names the expected order.
 */
public final class LifecycleException extends IllegalStateException {
    /** The order every session follows, quoted by the messages. */
    static final String SESSION_ORDER = "initialize(...), then event(...) calls, then finalize";

    public LifecycleException(String message) {
        super(message);
    }
}
