package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.io.TemporaryFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Write-to-temporary-then-rename: a temporary file is created beside the target (same directory, so
 * the rename stays on one file system), filled and forced to disk, then moved over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. Readers see the old file or the complete new one, never a
 * partial one.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /** A new empty temporary file in {@code target}'s directory, named after it. */
    static Path createTemporary(Path target) {
        Path dir = directoryOf(target);
        try {
            return TemporaryFiles.createFileBeside(target);
        } catch (IOException e) {
            throw new SafetensorsException(target, "cannot create a temporary file in " + dir + ": " + e, e);
        }
    }

    /** Moves {@code temporary} over {@code target} atomically; on failure deletes the temporary file. */
    static void commit(Path temporary, Path target) {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw deleteAfterFailure(temporary, new SafetensorsException(target, "the file system cannot rename "
                    + temporary.getFileName() + " onto it atomically: " + e, e));
        } catch (IOException e) {
            throw deleteAfterFailure(temporary, new SafetensorsException(target, "cannot move "
                    + temporary.getFileName() + " into place: " + e, e));
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    static void write(Path target, byte[] bytes) {
        Path temporary = createTemporary(target);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
            channel.force(true);
        } catch (IOException e) {
            throw deleteAfterFailure(temporary, new SafetensorsException(target, "cannot write "
                    + temporary.getFileName() + ": " + e, e));
        } catch (RuntimeException | Error e) {
            deleteAfterFailure(temporary, e);
            throw e;
        }
        commit(temporary, target);
    }

    /**
     * Deletes {@code file} after {@code failure}; a failure to delete is added to it as suppressed, so
     * the original problem stays the one reported. Returns {@code failure} for throwing.
     */
    static <T extends Throwable> T deleteAfterFailure(Path file, T failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    static Path directoryOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) throw new SafetensorsException(target, "has no parent directory to write into");
        return parent;
    }
}
