package io.llmc4j.compress.core;

/**
 * The active {@link CompressionSession} of each thread (the reference's {@code active_session},
 * {@code create_session} and {@code reset_session}). Each thread starts with its own session,
 * created when first asked for; {@link #create()} makes a new session active until its scope
 * closes:
 *
 * <pre>{@code
 * try (SessionScope scope = Sessions.create()) {
 *     scope.session().initialize(recipe, StateUpdate.model(model));
 *     ...
 * }   // the previous session is active again
 * }</pre>
 *
 * This per-thread slot is the only static state here; code that holds a session should pass it
 * along instead of asking for the active one.
 */
public final class Sessions {
    private static final ThreadLocal<CompressionSession> ACTIVE = ThreadLocal.withInitial(CompressionSession::new);

    private Sessions() {
    }

    /** This thread's active session. */
    public static CompressionSession active() {
        return ACTIVE.get();
    }

    /** Makes a new session active on this thread until the returned scope is closed. */
    public static SessionScope create() {
        CompressionSession previous = ACTIVE.get();
        CompressionSession created = new CompressionSession();
        ACTIVE.set(created);
        return new SessionScope(created, previous);
    }

    /** Resets this thread's active session. */
    public static void reset() {
        active().reset();
    }

    static void restore(SessionScope scope, CompressionSession previous) {
        if (ACTIVE.get() != scope.session())
            throw new IllegalStateException("session scopes must close on the thread that opened them, innermost first");
        ACTIVE.set(previous);
    }
}
