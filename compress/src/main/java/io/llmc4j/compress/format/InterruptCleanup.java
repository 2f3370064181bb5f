package io.llmc4j.compress.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paths a live run must not leave behind when it is stopped with SIGINT or SIGTERM (Ctrl-C, kill):
 * temporary checkpoint directories and lock files, deleted by one JVM shutdown hook. A SIGKILL runs
 * no hook; the next run for the same output removes what is left ({@link OutputLock}). Thread-safe.
 */
final class InterruptCleanup {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(InterruptCleanup::deleteAll, "llmc4j-interrupt-cleanup"));
    }

    private InterruptCleanup() {
    }

    /** Deletes {@code path} (recursively) if the JVM shuts down before {@link #forget}. */
    static void register(Path path) {
        LIVE.add(path);
    }

    /** {@code path} was committed or deleted: leave it alone at shutdown. */
    static void forget(Path path) {
        LIVE.remove(path);
    }

    private static void deleteAll() {
        for (Path p : LIVE) {
            try {
                OutputDirectory.deleteRecursively(p);
            } catch (IOException | RuntimeException ignored) {
                // best effort at exit; the next run for the output removes what is left
            }
        }
    }
}
