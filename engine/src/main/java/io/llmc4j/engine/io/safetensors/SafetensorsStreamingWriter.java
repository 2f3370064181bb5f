package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.tensor.MappedPages;
import io.llmc4j.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Writes a Hugging Face checkpoint whose tensors arrive one at a time, so a producer (a compressor)
 * never has to hold every tensor of a large model: the same files as {@link SafetensorsShardedWriter}
 * ({@code model.safetensors}, or {@code model-NNNNN-of-NNNNN.safetensors} plus
 * {@code model.safetensors.index.json}), split by the same rule ({@link ShardPlan}: tensors in arrival
 * order fill the current shard; one that would push it past {@code maxShardBytes} starts a new shard;
 * one larger than {@code maxShardBytes} gets a shard of its own, placed before the shard being filled).
 *
 * <pre>
 *   add(t1) add(t2) ... ──► current shard (references only)
 *                             │ full
 *                             ▼
 *                        temporary file ".model-00003.safetensors.*.tmp" (written, forced)
 *   finish() ──► temporaries renamed to model-0000i-of-0000N.safetensors, index written, stale files removed
 * </pre>
 *
 * <p>Memory: the writer keeps references to the tensors of the shard being filled (at most
 * {@code maxShardBytes} of data, or one larger tensor) and drops them once that shard is on disk,
 * releasing the resident pages of those that are views of mapped files ({@link MappedPages}: a
 * source checkpoint's weights written as they are); the caller must not change a tensor after adding it. On any failure, and on {@link #close()} before
 * {@link #finish()}, every temporary file is deleted and the directory holds no new file. Confined to
 * one thread.
 */
public final class SafetensorsStreamingWriter implements AutoCloseable {
    private final Path directory;
    private final Map<String, String> metadata;
    private final long maxShardBytes;
    private final List<Path> temporaries = new ArrayList<>();
    private final List<List<String>> shardTensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private Map<String, Tensor> current = new LinkedHashMap<>();
    private long currentBytes;
    private long totalBytes;
    private boolean finished;
    private boolean failed;

    private SafetensorsStreamingWriter(Path directory, Map<String, String> metadata, long maxShardBytes) {
        this.directory = directory;
        this.metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        this.maxShardBytes = maxShardBytes;
    }

    /**
     * A writer into {@code directory} (which must exist), with shards of at most {@code maxShardBytes}
     * data bytes and {@code metadata} (may be null) in every shard's header.
     */
    public static SafetensorsStreamingWriter open(Path directory, Map<String, String> metadata, long maxShardBytes) {
        if (!Files.isDirectory(directory)) throw new SafetensorsException(directory, "expected an existing directory to write the checkpoint into");
        if (maxShardBytes <= 0) throw new SafetensorsException(directory, "maximum shard size must be positive, got " + maxShardBytes);
        return new SafetensorsStreamingWriter(directory, metadata, maxShardBytes);
    }

    /**
     * Adds tensor {@code name}; may write the shard that it completes.
     *
     * @throws SafetensorsException naming the tensor when the name repeats, or naming the file when a
     *                              shard cannot be written (the writer is then unusable)
     */
    public void add(String name, Tensor tensor) {
        requireOpen();
        if (name == null) throw new SafetensorsException(directory, "a tensor name is null");
        if (tensor == null) throw new SafetensorsException(directory, name, "the tensor is null");
        if (!names.add(name)) throw new SafetensorsException(directory, name, "was added twice; each tensor name must be unique");
        long size = tensor.isSymbolic() ? 0 : tensor.byteSize();
        totalBytes = Math.addExact(totalBytes, size);
        if (size > maxShardBytes) {
            flush(Map.of(name, tensor));
            return;
        }
        if (currentBytes + size > maxShardBytes) {
            flush(current);
            current = new LinkedHashMap<>();
            currentBytes = 0;
        }
        current.put(name, tensor);
        currentBytes += size;
    }

    /**
     * Writes the last shard, renames every shard into place, writes the index when there are several,
     * and deletes files of an earlier checkpoint that would contradict this one.
     *
     * @return the files written, shards in order, then the index when there is one
     */
    public List<Path> finish() {
        requireOpen();
        try {
            if (!current.isEmpty() || temporaries.isEmpty()) flush(current);
            current = new LinkedHashMap<>();
            int count = temporaries.size();
            List<Path> written = new ArrayList<>();
            Map<String, String> weightMap = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String fileName = ShardPlan.fileName(i, count);
                AtomicFiles.commit(temporaries.get(i), directory.resolve(fileName));
                temporaries.set(i, null);
                written.add(directory.resolve(fileName));
                for (String tensor : shardTensors.get(i)) weightMap.put(tensor, fileName);
            }
            if (count > 1) {
                Path index = directory.resolve(CheckpointIndex.FILE_NAME);
                AtomicFiles.write(index, new CheckpointIndex(weightMap, OptionalLong.of(totalBytes)).encode());
                written.add(index);
            }
            SafetensorsShardedWriter.removeStale(directory, Set.copyOf(written.stream().map(p -> p.getFileName().toString()).toList()), count > 1);
            finished = true;
            return written;
        } catch (RuntimeException | Error e) {
            fail(e);
            throw e;
        }
    }

    /** Deletes the temporary files of an unfinished write; does nothing after {@link #finish()}. */
    @Override
    public void close() {
        if (finished) return;
        finished = true;
        for (Path t : temporaries) {
            if (t != null) AtomicFiles.deleteAfterFailure(t, new IllegalStateException("writer closed before finish"));
        }
        temporaries.clear();
        current = new LinkedHashMap<>();
    }

    private void flush(Map<String, Tensor> shard) {
        int index = temporaries.size();
        Path placeholder = directory.resolve(String.format(Locale.ROOT, "model-%05d.safetensors", index + 1));
        try {
            Path temporary = SafetensorsWriter.writeTemporary(WritePlan.of(placeholder, shard, metadata));
            temporaries.add(temporary);
            shardTensors.add(List.copyOf(shard.keySet()));
            for (Tensor t : shard.values()) MappedPages.release(t);
        } catch (RuntimeException | Error e) {
            fail(e);
            throw e;
        }
    }

    private void fail(Throwable e) {
        failed = true;
        for (Path t : temporaries) if (t != null) AtomicFiles.deleteAfterFailure(t, e);
        temporaries.clear();
    }

    private void requireOpen() {
        if (failed) throw new IllegalStateException("an earlier write into " + directory + " failed; this writer is unusable");
        if (finished) throw new IllegalStateException("the checkpoint in " + directory + " is already finished or closed");
    }
}
