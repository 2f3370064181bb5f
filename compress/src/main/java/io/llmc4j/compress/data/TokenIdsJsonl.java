package io.llmc4j.compress.data;

import io.llmc4j.engine.io.TemporaryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes token-id datasets in the JSON Lines layout {@link CalibrationDataLoader#readTokenIds}
 * reads: one {@code {"input_ids": [1, 461, ...]}} per line. Atomic: written to a temporary file
 * beside the target, forced to disk, then renamed over it. Stateless.
 */
public final class TokenIdsJsonl {
    private TokenIdsJsonl() {
    }

    /** Writes {@code sequences} (each non-empty) to {@code file}, whose directory must exist. */
    public static void write(Path file, List<long[]> sequences) {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary;
        try {
            temporary = TemporaryFiles.createFileBeside(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot create a temporary file in " + directory + ": " + e, e);
        }
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8);
                for (long[] ids : sequences) {
                    if (ids.length == 0) throw new IllegalArgumentException(file + ": cannot write an empty sequence");
                    StringBuilder line = new StringBuilder("{\"input_ids\": [");
                    for (int i = 0; i < ids.length; i++) line.append(i == 0 ? "" : ", ").append(ids[i]);
                    out.write(line.append("]}\n").toString());
                }
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteAfterFailure(temporary, e);
            throw new UncheckedIOException(file + ": cannot write: " + e, e);
        } catch (RuntimeException | Error e) {
            deleteAfterFailure(temporary, e);
            throw e;
        }
    }

    private static void deleteAfterFailure(Path file, Throwable failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
