package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors weights of a model directory, as one {@link TensorSource}. The files are found as
 * follows, first match wins:
 * <ol>
 *   <li>{@code model.safetensors.index.json}: every shard its {@code weight_map} names (each must exist
 *       inside the directory and hold the tensors the index assigns to it);</li>
 *   <li>{@code model.safetensors};</li>
 *   <li>every {@code *.safetensors} file in the directory, in name order.</li>
 * </ol>
 * (transformers checks {@code model.safetensors} before the index; a directory holding both is stale,
 * and {@link SafetensorsShardedWriter} never leaves one behind.) Every tensor of every file is
 * exposed, and a tensor name found in two files is an error.
 *
 * <p>Ownership: all files are mapped read-only into one {@link Arena#ofShared() shared arena} that
 * this checkpoint owns; {@link #close()} unmaps them all, after which tensor views throw
 * {@link IllegalStateException} when read. Opening is all or nothing: on any error, everything mapped
 * so far is unmapped. Thread-safe after opening.
 */
public final class SafetensorsCheckpoint implements TensorSource {
    /** The file name of an unsharded checkpoint. */
    public static final String SINGLE_FILE_NAME = "model.safetensors";
    /** The file name of a sharded checkpoint's index. */
    public static final String INDEX_FILE_NAME = CheckpointIndex.FILE_NAME;

    private final Path directory;
    private final Arena arena;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileByTensor;
    private volatile boolean closed;

    private SafetensorsCheckpoint(Path directory, Arena arena, List<SafetensorsFile> files, Map<String, SafetensorsFile> fileByTensor) {
        this.directory = directory;
        this.arena = arena;
        this.files = List.copyOf(files);
        this.fileByTensor = Collections.unmodifiableMap(fileByTensor);
    }

    /**
     * Opens the safetensors weights of model directory {@code directory}.
     *
     * @throws SafetensorsException naming the directory, file and tensor concerned when the directory
     *                              is missing or unreadable, holds no weights, or any file is malformed
     */
    public static SafetensorsCheckpoint open(Path directory) {
        checkDirectory(directory);
        Arena arena = Arena.ofShared();
        try {
            Path index = directory.resolve(INDEX_FILE_NAME);
            Path single = directory.resolve(SINGLE_FILE_NAME);
            List<SafetensorsFile> files;
            if (Files.exists(index)) files = openIndexed(directory, index, arena);
            else if (Files.exists(single)) files = List.of(SafetensorsFile.open(single, arena));
            else files = openAll(directory, arena);
            return new SafetensorsCheckpoint(directory, arena, files, byTensor(files));
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** The model directory. */
    public Path directory() {
        return directory;
    }

    /** The opened files, in the order their tensors are listed by {@link #names()}. */
    public List<SafetensorsFile> files() {
        return files;
    }

    /** The file holding tensor {@code name}. */
    public SafetensorsFile fileOf(String name) {
        SafetensorsFile file = fileByTensor.get(name);
        if (file == null)
            throw new IllegalArgumentException("no tensor '" + name + "' in " + description() + " (" + fileByTensor.size() + " tensors)");
        return file;
    }

    /** The header entry of tensor {@code name}; reads no tensor data. */
    public TensorInfo info(String name) {
        return fileOf(name).info(name);
    }

    /** Tensor names, file by file in data order. */
    @Override
    public Set<String> names() {
        return fileByTensor.keySet();
    }

    @Override
    public boolean contains(String name) {
        return fileByTensor.containsKey(name);
    }

    @Override
    public Tensor get(String name) {
        if (closed) throw new IllegalStateException(description() + " is closed; cannot get tensor '" + name + "'");
        return fileOf(name).get(name);
    }

    @Override
    public String description() {
        return "safetensors checkpoint " + directory;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        files.forEach(SafetensorsFile::close);
        arena.close();
    }

    private static void checkDirectory(Path directory) {
        if (!Files.exists(directory)) throw new SafetensorsException(directory, "model directory does not exist");
        if (!Files.isDirectory(directory))
            throw new SafetensorsException(directory, "expected a model directory, found a file; open a single file with SafetensorsFile.open");
        if (!Files.isReadable(directory)) throw new SafetensorsException(directory, "model directory is not readable");
    }

    private static List<SafetensorsFile> openIndexed(Path directory, Path indexFile, Arena arena) {
        CheckpointIndex index = CheckpointIndex.read(indexFile);
        Map<String, List<String>> tensorsByShard = new LinkedHashMap<>();
        index.weightMap().forEach((tensor, shard) -> tensorsByShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(tensor));
        Path root = directory.toAbsolutePath().normalize();
        List<SafetensorsFile> files = new ArrayList<>();
        for (var entry : tensorsByShard.entrySet()) {
            String shard = entry.getKey();
            String example = entry.getValue().getFirst();
            Path path = root.resolve(shard).normalize();
            if (!path.startsWith(root) || path.equals(root))
                throw new SafetensorsException(indexFile, example, "weight_map names shard '" + shard
                        + "', which is outside the checkpoint directory " + root);
            if (!Files.isRegularFile(path))
                throw new SafetensorsException(indexFile, example, "weight_map names shard '" + shard + "' (for "
                        + entry.getValue().size() + " tensors), which does not exist in " + root);
            SafetensorsFile file = SafetensorsFile.open(path, arena);
            files.add(file);
            for (String tensor : entry.getValue()) {
                if (!file.contains(tensor))
                    throw new SafetensorsException(indexFile, tensor, "weight_map places it in shard '" + shard
                            + "', but that file has no such tensor (it has " + file.names().size() + " tensors)");
            }
        }
        return files;
    }

    private static List<SafetensorsFile> openAll(Path directory, Arena arena) {
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.safetensors")) {
            for (Path p : stream) if (Files.isRegularFile(p)) paths.add(p);
        } catch (IOException e) {
            throw new SafetensorsException(directory, "cannot list the model directory: " + e, e);
        }
        if (paths.isEmpty())
            throw new SafetensorsException(directory, "found no " + INDEX_FILE_NAME + ", no " + SINGLE_FILE_NAME
                    + " and no *.safetensors file in the model directory");
        paths.sort((a, b) -> CodePointOrder.INSTANCE.compare(a.getFileName().toString(), b.getFileName().toString()));
        List<SafetensorsFile> files = new ArrayList<>(paths.size());
        for (Path p : paths) files.add(SafetensorsFile.open(p, arena));
        return files;
    }

    private static Map<String, SafetensorsFile> byTensor(List<SafetensorsFile> files) {
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        for (SafetensorsFile file : files) {
            for (String name : file.names()) {
                SafetensorsFile previous = byTensor.putIfAbsent(name, file);
                if (previous != null)
                    throw new SafetensorsException(file.path(), name, "also appears in " + previous.path()
                            + "; expected each tensor in exactly one file");
            }
        }
        return byTensor;
    }
}
