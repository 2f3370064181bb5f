package io.llmc4j.engine.nn;

/** Removes the hook it was returned for; removing twice is harmless. */
@FunctionalInterface
public interface HookHandle extends AutoCloseable {
    void remove();

    @Override
    default void close() {
        remove();
    }
}
