package io.llmc4j.compress.core;

/**
 * A session made active on one thread by {@link Sessions#create()}; closing it makes the previous
 * session active again. Close on the opening thread, innermost scope first; closing twice is harmless.
 */
public final class SessionScope implements AutoCloseable {
    private final CompressionSession session;
    private final CompressionSession previous;
    private boolean closed;

    SessionScope(CompressionSession session, CompressionSession previous) {
        this.session = session;
        this.previous = previous;
    }

    public CompressionSession session() {
        return session;
    }

    @Override
    public void close() {
        if (closed) return;
        Sessions.restore(this, previous);
        closed = true;
    }
}
