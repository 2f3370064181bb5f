package io.llmc4j.engine.io.npy;

/** A malformed or unsupported {@code .npy}/{@code .npz} input; the message names the file and key. */
public final class NpyException extends RuntimeException {
    private final String source;

    public NpyException(String source, String message) {
        super(source + ": " + message);
        this.source = source;
    }

    public NpyException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
    }

    /** The file (and key, for archives) the problem is in. */
    public String source() {
        return source;
    }
}
