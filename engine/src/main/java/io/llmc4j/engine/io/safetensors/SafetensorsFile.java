package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file, memory-mapped read-only as a single {@link MemorySegment} (any size, no 2 GiB
 * limit, no copy). {@link #get} returns contiguous {@link Tensor} views of that mapping, in the
 * file's little-endian layout; they are read-only (writing into them throws).
 *
 * <p>{@link #open} reads and validates the whole header first (see {@link SafetensorsHeader}) and maps
 * the file only when it is well formed, so a malformed file never leaves a mapping behind.
 *
 * <p>Ownership: {@link #open(Path)} maps into an {@link Arena#ofShared() arena} of its own, which
 * {@link #close()} closes (unmapping the file; views then throw {@link IllegalStateException} when
 * read). {@link #open(Path, Arena)} maps into the caller's arena, whose owner unmaps it;
 * {@link #close()} then only stops further {@link #get} calls. Thread-safe: after opening, all state is
 * immutable.
 */
public final class SafetensorsFile implements TensorSource {
    private final Path path;
    private final SafetensorsHeader header;
    private final Map<String, TensorInfo> infos;
    private final MemorySegment mapping;
    private final Arena ownedArena;
    private volatile boolean closed;

    private SafetensorsFile(Path path, SafetensorsHeader header, MemorySegment mapping, Arena ownedArena) {
        this.path = path;
        this.header = header;
        this.mapping = mapping;
        this.ownedArena = ownedArena;
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo t : header.tensors()) byName.put(t.name(), t);
        this.infos = Collections.unmodifiableMap(byName);
    }

    /** Maps {@code file} into a new shared arena that {@link #close()} closes. */
    public static SafetensorsFile open(Path file) {
        Arena arena = Arena.ofShared();
        try {
            return map(file, arena, arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Maps {@code file} into {@code arena}, which the caller owns and closes. */
    public static SafetensorsFile open(Path file, Arena arena) {
        return map(file, arena, null);
    }

    private static SafetensorsFile map(Path file, Arena arena, Arena ownedArena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = HeaderReader.read(file, channel);
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, header.fileByteSize(), arena);
            if (channel.size() != header.fileByteSize())
                throw new SafetensorsException(file, "file changed size while being opened: header was read from "
                        + header.fileByteSize() + " bytes, now " + channel.size());
            return new SafetensorsFile(file, header, mapping, ownedArena);
        } catch (IOException e) {
            throw new SafetensorsException(file, "cannot open: " + e, e);
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The validated header. */
    public SafetensorsHeader header() {
        return header;
    }

    /** The {@code __metadata__} map (empty when the header has none). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Every tensor's entry, in data order. */
    public List<TensorInfo> tensorInfos() {
        return header.tensors();
    }

    /**
     * The entry of tensor {@code name}; reads no tensor data.
     *
     * @throws IllegalArgumentException when the file has no such tensor
     */
    public TensorInfo info(String name) {
        TensorInfo info = infos.get(name);
        if (info == null) throw absent(name);
        return info;
    }

    /** Tensor names in data order. */
    @Override
    public Set<String> names() {
        return infos.keySet();
    }

    @Override
    public boolean contains(String name) {
        return infos.containsKey(name);
    }

    /** A read-only view of tensor {@code name}'s bytes in the mapping. */
    @Override
    public Tensor get(String name) {
        if (closed) throw new IllegalStateException(path + " is closed; cannot get tensor '" + name + "'");
        TensorInfo info = info(name);
        MemorySegment bytes = mapping.asSlice(header.dataStart() + info.beginOffset(), info.byteSize());
        return Tensor.wrap(bytes, info.dtype(), info.shape().toArray());
    }

    @Override
    public String description() {
        return path.toString();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (ownedArena != null) ownedArena.close();
    }

    private IllegalArgumentException absent(String name) {
        return new IllegalArgumentException("no tensor '" + name + "' in " + path + " (" + infos.size() + " tensors)");
    }
}
