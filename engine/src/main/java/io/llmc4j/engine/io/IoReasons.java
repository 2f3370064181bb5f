package io.llmc4j.engine.io;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why an I/O operation failed, in words, for messages that name the path themselves: the JDK's
 * exceptions often carry only the path ({@code AccessDeniedException: /x}) or only a detail
 * ({@code MalformedInputException: Input length = 1}). Stateless.
 */
public final class IoReasons {
    private IoReasons() {
    }

    /** E.g. "permission denied", "No space left on device", "not valid UTF-8 (byte sequence of length 1)". */
    public static String of(IOException e) {
        return switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such file or directory";
            case NotDirectoryException n -> "not a directory";
            case FileAlreadyExistsException f -> "already exists";
            case DirectoryNotEmptyException d -> "directory not empty";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            case TextFiles.NotUtf8Exception n -> n.withoutFile();
            case MalformedInputException m -> "not valid UTF-8 (a malformed byte sequence of length " + m.getInputLength() + ")";
            case UnmappableCharacterException u -> "a character that cannot be decoded (length " + u.getInputLength() + ")";
            default -> e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
