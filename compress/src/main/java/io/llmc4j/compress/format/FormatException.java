package io.llmc4j.compress.format;

/**
 * A compressed checkpoint, or the module state to compress into one, is missing something or holds
 * something unexpected. The message names where (a file, a module and its parameter, a config key),
 * what was expected and what was found.
 */
public final class FormatException extends RuntimeException {
    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A problem with parameter {@code parameter} of module {@code module}. */
    public static FormatException parameter(String module, String parameter, String problem) {
        return new FormatException("module '" + module + "', parameter '" + parameter + "': " + problem);
    }
}
