package io.llmc4j.compress.pipelines;

/** Receives one human-readable progress line at a time (the CLI prints them; tests stay silent). */
@FunctionalInterface
public interface ProgressSink {
    void line(String text);

    /** A sink that drops every line. */
    static ProgressSink silent() {
        return text -> {
        };
    }
}
