package io.llmc4j.compress.cli;

import io.llmc4j.compress.pipelines.ProgressSink;
import java.io.PrintWriter;
import java.util.Locale;

/** Progress lines on standard error, prefixed with the elapsed time and the resident memory. */
final class StderrProgress implements ProgressSink {
    private final PrintWriter err;
    private final long start = System.nanoTime();

    StderrProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void line(String text) {
        long rss = ProcessMemory.residentBytes();
        err.printf(Locale.ROOT, "[%7.1fs %s] %s%n", (System.nanoTime() - start) / 1e9,
                rss < 0 ? "rss ?" : String.format(Locale.ROOT, "rss %5d MiB", rss >> 20), text);
        err.flush();
    }
}
