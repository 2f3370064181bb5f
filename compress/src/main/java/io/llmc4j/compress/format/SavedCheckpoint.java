package io.llmc4j.compress.format;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link CompressedCheckpointWriter#save} wrote.
 *
 * @param directory the output directory
 * @param format    the top-level format written in {@code quantization_config}
 * @param files     the file names in the directory, in the order they were written
 */
public record SavedCheckpoint(Path directory, CompressionFormat format, List<String> files) {
    public SavedCheckpoint {
        files = List.copyOf(files);
    }
}
