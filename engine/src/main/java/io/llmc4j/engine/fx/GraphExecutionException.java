package io.llmc4j.engine.fx;

/** Running a graph failed at one node; {@link #nodeName()} names it and the message shows its line. */
public final class GraphExecutionException extends RuntimeException {
    private final String nodeName;

    public GraphExecutionException(String nodeName, String message, Throwable cause) {
        super(message, cause);
        this.nodeName = nodeName;
    }

    public String nodeName() {
        return nodeName;
    }
}
