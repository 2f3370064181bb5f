package io.llmc4j.engine.io;

/**
 * An output path would be, lie inside, or contain an input (see {@link InputOutputOverlap}); the
 * message names both paths and where they are on disk. Bad usage of the paths, so an
 * {@link IllegalArgumentException}.
 */
public final class OverlappingPathsException extends IllegalArgumentException {
    public OverlappingPathsException(String message) {
        super(message);
    }
}
