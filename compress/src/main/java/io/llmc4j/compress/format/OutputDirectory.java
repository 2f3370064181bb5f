package io.llmc4j.compress.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import io.llmc4j.engine.io.IoReasons;
import io.llmc4j.engine.io.TemporaryFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Replacing a directory as a whole: the new content is built in a temporary directory beside the
 * target ({@code .<name>.tmp-*}, same file system), then renamed into place; an existing target is
 * first renamed aside ({@code .<name>.old-*}) and deleted only after the new one is in place, and put
 * back if that rename fails. Readers never see a half-written target. Stateless.
 */
public final class OutputDirectory {
    private OutputDirectory() {
    }

    /** Refuses a target that is a file, or a non-empty directory when {@code overwrite} is false. */
    public static void checkTarget(Path target, boolean overwrite) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(target)) throw new FormatException("output " + target + " exists and is not a directory");
        long entries = countEntries(target);
        if (entries > 0 && !overwrite)
            throw new FormatException("output directory " + target + " exists and is not empty (" + entries
                    + " entries); choose another directory or allow overwriting");
    }

    /**
     * Refuses a target that cannot be created: its nearest existing ancestor is a file, or no
     * directory can be made there (read-only file system, no permission), tried by creating and
     * deleting a temporary directory, as {@link #createTemporary} will.
     */
    static void checkCreatable(Path target) {
        Path existing = target.getParent();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw new FormatException("output directory " + target + " has no existing ancestor directory");
        if (!Files.isDirectory(existing))
            throw new FormatException("output directory " + target + " cannot be created: " + existing + " is a file, not a directory");
        try {
            Files.delete(TemporaryFiles.createDirectoryBeside(existing.resolve(target.getFileName())));
        } catch (IOException e) {
            throw new FormatException("output directory " + target + " cannot be created: no directory can be made in " + existing
                    + " (" + IoReasons.of(e) + ")", e);
        }
    }

    /** A new empty directory beside {@code target}; creates {@code target}'s parent when missing. */
    public static Path createTemporary(Path target) {
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
            // Not Files.createTempDirectory: it makes the directory owner-only (0700), and a serving
            // process running as another user must be able to read the checkpoint.
            return TemporaryFiles.createDirectoryBeside(target);
        } catch (IOException e) {
            throw new FormatException("cannot create a temporary directory beside " + target + ": " + e, e);
        }
    }

    /** Moves {@code temporary} to {@code target}, replacing what is there (see the class comment). */
    public static void commit(Path temporary, Path target) {
        try {
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                try {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException restore) {
                    e.addSuppressed(restore);
                }
                throw e;
            }
            deleteRecursively(old);
        } catch (IOException e) {
            throw new FormatException("cannot move the new checkpoint " + temporary + " into place at " + target + ": " + e, e);
        }
    }

    /** Deletes {@code root} and everything under it (symbolic links are deleted, not followed). */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) throw failure;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes {@code temporary} after {@code failure}, recording a failure to delete as suppressed. */
    public static void discard(Path temporary, Throwable failure) {
        try {
            deleteRecursively(temporary);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static long countEntries(Path directory) {
        long n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path ignored : entries) n++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return n;
    }
}
