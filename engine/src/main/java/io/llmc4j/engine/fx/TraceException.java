package io.llmc4j.engine.fx;

/**
 * Tracing failed inside a module: most often its forward branches on tensor values (which a symbolic
 * tensor does not have), or an op got arguments it cannot take. {@link #modulePath()} names the
 * innermost module being traced ("" is the root); the message says what happened and how to go on
 * (mark that module as ignored for tracing, so it runs as one {@code call_module} node).
 */
public final class TraceException extends RuntimeException {
    private final String modulePath;

    public TraceException(String modulePath, String message, Throwable cause) {
        super(message, cause);
        this.modulePath = modulePath;
    }

    public TraceException(String modulePath, String message) {
        this(modulePath, message, null);
    }

    /** The dotted path of the module being traced when it failed ("" for the root). */
    public String modulePath() {
        return modulePath;
    }
}
