package io.llmc4j.compress.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into one-line messages and exit codes. */
final class CliErrors {
    private CliErrors() {
    }

    static String describe(Throwable exception) {
        Throwable t = exception;
        if (t instanceof UncheckedIOException u && u.getCause() != null) t = u.getCause();
        if (t instanceof NoSuchFileException n) return "no such file: " + n.getFile();
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static boolean isBadInput(Throwable exception) {
        return exception instanceof IllegalArgumentException
                || exception instanceof IOException
                || exception instanceof UncheckedIOException
                || exception.getClass().getSimpleName().endsWith("Exception") && exception.getClass().getPackageName().startsWith("io.llmc4j")
                && !(exception instanceof IllegalStateException);
    }
}
