package io.llmc4j.compress.cli;

import io.llmc4j.compress.format.FormatException;
import io.llmc4j.engine.fx.TraceException;
import io.llmc4j.engine.io.IoReasons;
import io.llmc4j.engine.io.npy.NpyException;
import io.llmc4j.engine.io.safetensors.SafetensorsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into one-line messages and exit codes. */
final class CliErrors {
    private CliErrors() {
    }

    static String describe(Throwable exception) {
        Throwable t = exception;
        if (t instanceof UncheckedIOException u && u.getCause() != null) {
            if (u.getMessage() != null && !u.getMessage().equals(u.getCause().toString())) return u.getMessage();
            t = u.getCause();
        }
        if (t instanceof NoSuchFileException n) return "no such file: " + n.getFile();
        if (t instanceof FileSystemException f && f.getFile() != null)
            return f.getFile() + ": " + IoReasons.of(f) + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")");
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    /**
     * Whether the failure is the input's fault (a file, key, value or model the user gave): exit code 3.
     * Failures while running (pipeline, lifecycle, graph execution) are not.
     */
    static boolean isBadInput(Throwable exception) {
        return exception instanceof IllegalArgumentException
                || exception instanceof IOException
                || exception instanceof UncheckedIOException
                || exception instanceof SafetensorsException
                || exception instanceof NpyException
                || exception instanceof FormatException
                || exception instanceof TraceException;
    }
}
