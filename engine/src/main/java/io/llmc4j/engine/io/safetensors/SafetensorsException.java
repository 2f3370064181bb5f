package io.llmc4j.engine.io.safetensors;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A safetensors file, index or checkpoint directory could not be read or written. The message names
 * the file, the tensor when one is involved, and what was expected versus what was found; I/O failures
 * are wrapped with their cause.
 *
 * <p>Unchecked, like {@link java.io.UncheckedIOException}: every reader and writer in this package
 * reports all of its failures, I/O included, with this one type.
 */
public final class SafetensorsException extends RuntimeException {
    private final transient Path file;
    private final String tensor;

    /** A problem with {@code file} as a whole. */
    public SafetensorsException(Path file, String problem) {
        this(file, null, problem, null);
    }

    /** A problem with {@code file} as a whole, caused by {@code cause}. */
    public SafetensorsException(Path file, String problem, Throwable cause) {
        this(file, null, problem, cause);
    }

    /** A problem with tensor {@code tensor} of {@code file}. */
    public SafetensorsException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    /** A problem with tensor {@code tensor} (may be null) of {@code file}, caused by {@code cause}. */
    public SafetensorsException(Path file, String tensor, String problem, Throwable cause) {
        super(message(file, tensor, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.tensor = tensor;
    }

    /** The file (or directory) concerned. */
    public Path file() {
        return file;
    }

    /** The tensor concerned, when the problem is about one tensor. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }

    private static String message(Path file, String tensor, String problem) {
        return tensor == null ? file + ": " + problem : file + ": tensor '" + tensor + "': " + problem;
    }
}
