package io.llmc4j.engine.io.safetensors;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of a safetensors file: the {@code __metadata__} map and every tensor's
 * {@link TensorInfo}, in data order (ascending {@code data_offsets}).
 *
 * <pre>
 * file:  [u64 LE headerByteSize][header JSON, headerByteSize bytes][data section: dataByteSize bytes]
 *        0                     8                                   dataStart()                fileByteSize
 * </pre>
 *
 * A value: immutable and thread-safe. Instances come from {@link #read(Path)} or
 * {@link SafetensorsFile#header()}, which have checked that the tensors tile the data section exactly.
 */
public record SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors, long headerByteSize, long fileByteSize) {
    public SafetensorsHeader {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** Offset of the data section from the start of the file. */
    public long dataStart() {
        return 8 + headerByteSize;
    }

    /** Size of the data section in bytes. */
    public long dataByteSize() {
        return fileByteSize - dataStart();
    }

    /**
     * Reads and validates the header of {@code file} without mapping or reading tensor data.
     *
     * @throws SafetensorsException naming the file (and tensor) when it cannot be read or is malformed
     */
    public static SafetensorsHeader read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return HeaderReader.read(file, channel);
        } catch (IOException e) {
            throw new SafetensorsException(file, "cannot read: " + e, e);
        }
    }
}
