package io.llmc4j.engine.models;

import java.nio.file.Path;

/**
 * A model directory that cannot be loaded as a whole: missing, not a directory, unreadable, or
 * without a readable {@code config.json}. The message names the path and what was expected. (Problems
 * inside config.json are {@link ModelConfigException}s; problems with one tensor name the tensor.)
 */
public final class ModelLoadException extends IllegalArgumentException {
    private final transient Path path;

    public ModelLoadException(Path path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public ModelLoadException(Path path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
    }

    /** The directory or file concerned. */
    public Path path() {
        return path;
    }
}
