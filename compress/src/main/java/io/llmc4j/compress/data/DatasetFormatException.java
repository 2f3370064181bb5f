package io.llmc4j.compress.data;

import java.nio.file.Path;

/**
 * A record of a calibration data file that cannot be used. The message reads
 * {@code <file>:<line>: <what was expected>, found <what was there>}; lines count from 1.
 */
public final class DatasetFormatException extends IllegalArgumentException {
    private final Path file;
    private final long line;

    DatasetFormatException(Path file, long line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line of the offending record (0 when the problem concerns the whole file). */
    public long line() {
        return line;
    }
}
