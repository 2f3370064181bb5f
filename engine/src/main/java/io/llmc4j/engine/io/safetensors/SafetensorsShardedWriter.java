package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a model's tensors as a Hugging Face checkpoint in a directory: {@code model.safetensors}
 * when everything fits in one shard, else {@code model-00001-of-0000N.safetensors} files plus
 * {@code model.safetensors.index.json} ({@code metadata.total_size} and {@code weight_map}), split
 * as huggingface_hub does (see {@link ShardPlan}). Each shard is laid out by {@link SafetensorsWriter}
 * and carries the same {@code metadata}.
 *
 * <p>Order of work: every shard is written to a temporary file first (a failure there deletes them all
 * and leaves the directory untouched); then the shards are renamed into place, the index is written
 * atomically, and files of an earlier save that would contradict this one are deleted: shards named
 * {@code model-NNNNN-of-NNNNN.safetensors} that are not part of this save, the index when writing a
 * single file, and {@code model.safetensors} when writing shards. Each file is replaced atomically,
 * the directory as a whole is not: write into a fresh directory and move it when others may read it
 * meanwhile. Streaming: one tensor at a time passes through a small buffer; {@link #writeDeferred} also
 * makes each tensor's data only when it is written. Stateless, thread-safe.
 */
public final class SafetensorsShardedWriter {
    private static final Pattern SHARD_NAME = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

    private SafetensorsShardedWriter() {
    }

    /**
     * Writes {@code tensors} into {@code directory} (which must exist) in shards of at most
     * {@code maxShardBytes} data bytes each (a larger tensor gets a shard of its own).
     *
     * @return the files written, shards in order, then the index when there is one
     * @throws SafetensorsException naming the file (and tensor) on any failure
     */
    public static List<Path> write(Path directory, Map<String, Tensor> tensors, Map<String, String> metadata, long maxShardBytes) {
        checkArguments(directory, maxShardBytes);
        ShardPlan shards = ShardPlan.of(tensors, maxShardBytes);
        List<WritePlan> plans = new ArrayList<>();
        shards.shards().forEach((name, shard) -> plans.add(WritePlan.of(directory.resolve(name), shard, metadata)));
        return write(directory, shards, plans);
    }

    /**
     * Like {@link #write}, for tensors whose data is made only when the writer reaches them: shards are
     * planned from the declared dtypes and shapes (exactly as {@link #write} would split the same
     * tensors), then each tensor's {@link DeferredTensor#data()} is called once, written and dropped,
     * so memory holds one tensor at a time whatever the size of the checkpoint.
     *
     * @return the files written, shards in order, then the index when there is one
     * @throws SafetensorsException naming the file (and tensor) on any failure, including a supplier
     *                              that fails or returns data of another dtype or shape than declared
     */
    public static List<Path> writeDeferred(Path directory, Map<String, DeferredTensor> tensors, Map<String, String> metadata,
                                           long maxShardBytes) {
        checkArguments(directory, maxShardBytes);
        Map<String, Tensor> declared = new LinkedHashMap<>();
        tensors.forEach((name, t) -> declared.put(name, t == null ? null : Tensor.symbolic(t.dtype(), t.shape(), null)));
        ShardPlan shards = ShardPlan.of(declared, maxShardBytes);
        List<WritePlan> plans = new ArrayList<>();
        shards.shards().forEach((name, shard) -> {
            Map<String, DeferredTensor> members = new LinkedHashMap<>();
            shard.keySet().forEach(tensor -> members.put(tensor, tensors.get(tensor)));
            plans.add(WritePlan.ofDeferred(directory.resolve(name), members, metadata));
        });
        return write(directory, shards, plans);
    }

    private static void checkArguments(Path directory, long maxShardBytes) {
        if (!Files.isDirectory(directory)) throw new SafetensorsException(directory, "expected an existing directory to write the checkpoint into");
        if (maxShardBytes <= 0) throw new SafetensorsException(directory, "maximum shard size must be positive, got " + maxShardBytes);
    }

    private static List<Path> write(Path directory, ShardPlan shards, List<WritePlan> plans) {
        List<Path> temporaries = new ArrayList<>();
        try {
            for (WritePlan plan : plans) temporaries.add(SafetensorsWriter.writeTemporary(plan));
        } catch (RuntimeException | Error e) {
            temporaries.forEach(t -> AtomicFiles.deleteAfterFailure(t, e));
            throw e;
        }
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            try {
                AtomicFiles.commit(temporaries.get(i), plans.get(i).target());
            } catch (RuntimeException | Error e) {
                temporaries.subList(i + 1, temporaries.size()).forEach(t -> AtomicFiles.deleteAfterFailure(t, e));
                throw e;
            }
            written.add(plans.get(i).target());
        }
        if (shards.isSharded()) {
            Map<String, String> weightMap = new LinkedHashMap<>();
            shards.shards().forEach((file, shard) -> shard.keySet().forEach(tensor -> weightMap.put(tensor, file)));
            Path index = directory.resolve(CheckpointIndex.FILE_NAME);
            AtomicFiles.write(index, new CheckpointIndex(weightMap, OptionalLong.of(shards.totalByteSize())).encode());
            written.add(index);
        }
        removeStale(directory, shards.shards().keySet(), shards.isSharded());
        return written;
    }

    /** Deletes files of an earlier checkpoint in {@code directory} that contradict the one just written. */
    static void removeStale(Path directory, Set<String> current, boolean sharded) {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean oldShard = SHARD_NAME.matcher(name).matches() && !current.contains(name);
                boolean contradicting = sharded ? name.equals(SafetensorsCheckpoint.SINGLE_FILE_NAME)
                        : name.equals(CheckpointIndex.FILE_NAME);
                if ((oldShard || contradicting) && Files.isRegularFile(file)) stale.add(file);
            }
            for (Path file : stale) Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new SafetensorsException(directory, "wrote the new checkpoint but could not delete files of an earlier one ("
                    + stale + "): " + e, e);
        }
    }
}
