package io.llmc4j.compress.modelfree;

import io.llmc4j.compress.format.FormatException;
import io.llmc4j.engine.io.safetensors.DeferredTensor;
import io.llmc4j.engine.io.safetensors.SafetensorsShardedWriter;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quantizes one input shard into the output shard of the same name (LLM Compressor's model-free
 * {@code process_file}), holding a few tensors at a time:
 *
 * <pre>
 *   pass 1  for each tensor of the shard (experts split): a targeted weight is quantized and
 *           compressed ({@link WeightQuantizer}) and its stored tensors appended to a spill file
 *           (.NAME.spill in the work directory); other tensors are left where they are
 *   pass 2  the output shard is written by the safetensors writer from views: compressed tensors
 *           of the mapped spill file, the rest of the mapped input; the pages of each view are
 *           released once the writer moves on to the next tensor
 * </pre>
 *
 * The output shard is written under the work directory and then moved to {@code target}; the
 * spill file is deleted. Not thread-safe: one job per thread.
 */
final class ShardJob {
    /** What the job wrote: the output tensor names and their total data bytes. */
    record Result(Path file, List<String> tensorNames, long dataBytes, int quantized) {
    }

    private record Spilled(DType dtype, Shape shape, long offset, long bytes) {
    }

    private static final long CHUNK = 1L << 20;

    private final ShardTensors shard;
    private final ModelFreePlan plan;
    private final Path workDirectory;
    private final Path target;

    ShardJob(ShardTensors shard, ModelFreePlan plan, Path workDirectory, Path target) {
        this.shard = shard;
        this.plan = plan;
        this.workDirectory = workDirectory;
        this.target = target;
    }

    Result run() throws IOException {
        String fileName = target.getFileName().toString();
        Path spill = workDirectory.resolve("." + fileName + ".spill");
        Path own = Files.createDirectories(workDirectory.resolve("." + fileName + ".work"));
        Map<String, Object> outputs = new LinkedHashMap<>();
        int quantized = 0;
        try {
            try (FileChannel channel = FileChannel.open(spill, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (ShardTensors.Item item : shard.items()) {
                    ModelFreePlan.Target t = plan.target(item.name());
                    if (t == null) {
                        put(outputs, item.name(), item);
                        continue;
                    }
                    Tensor weight = item.read();
                    Map<String, Tensor> stored;
                    try {
                        stored = WeightQuantizer.quantize(t.module(), weight, t.scheme(), t.format(), t.fusedAbsMax());
                    } catch (RuntimeException e) {
                        throw new FormatException(item.where() + " cannot be quantized as " + t.format().value() + ": " + e.getMessage(), e);
                    }
                    release(weight);
                    for (var s : stored.entrySet()) put(outputs, t.module() + "." + s.getKey(), spill(channel, s.getValue()));
                    quantized++;
                }
                channel.force(true);
            }
            long dataBytes = 0;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment spilled;
                try (FileChannel channel = FileChannel.open(spill, StandardOpenOption.READ)) {
                    spilled = channel.size() == 0 ? MemorySegment.NULL : channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
                }
                Map<String, DeferredTensor> deferred = new LinkedHashMap<>();
                Tensor[] previous = new Tensor[1];
                for (var o : outputs.entrySet()) {
                    DeferredTensor d = switch (o.getValue()) {
                        case ShardTensors.Item item -> new DeferredTensor(item.dtype(), item.shape(), () -> hand(previous, item.read()));
                        case Spilled s -> new DeferredTensor(s.dtype(), s.shape(),
                                () -> hand(previous, Tensor.wrap(spilled.asSlice(s.offset(), s.bytes()), s.dtype(), s.shape().toArray())));
                        default -> throw new IllegalStateException("unexpected output " + o.getValue());
                    };
                    dataBytes += d.byteSize();
                    deferred.put(o.getKey(), d);
                }
                List<Path> written = SafetensorsShardedWriter.writeDeferred(own, deferred, Map.of("format", "pt"), Long.MAX_VALUE);
                if (previous[0] != null) release(previous[0]);
                if (written.size() != 1) throw new IllegalStateException("expected one file from the shard writer, got " + written);
                Files.move(written.getFirst(), target, StandardCopyOption.ATOMIC_MOVE);
            }
            return new Result(target, List.copyOf(outputs.keySet()), dataBytes, quantized);
        } finally {
            Files.deleteIfExists(spill);
            try (var left = Files.list(own)) {
                for (Path p : left.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(own);
        }
    }

    private void put(Map<String, Object> outputs, String name, Object value) {
        if (outputs.put(name, value) != null)
            throw new FormatException("tensor '" + name + "' would be written twice into " + target.getFileName()
                    + " (a quantized weight's compressed names collide with a tensor of the input)");
    }

    /** Appends {@code tensor}'s bytes to the spill file and returns where they are. */
    private static Spilled spill(FileChannel channel, Tensor tensor) throws IOException {
        Tensor t = tensor.isContiguous() ? tensor : tensor.contiguous();
        MemorySegment bytes = t.segment().asSlice(t.byteOffset(), t.byteSize());
        long offset = channel.position();
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, bytes.byteSize()))];
        for (long at = 0; at < bytes.byteSize(); at += chunk.length) {
            int n = (int) Math.min(chunk.length, bytes.byteSize() - at);
            MemorySegment.copy(bytes, at, MemorySegment.ofArray(chunk), 0, n);   // heap segments of any array kind
            ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
            while (buffer.hasRemaining()) channel.write(buffer);
        }
        return new Spilled(t.dtype(), t.shape(), offset, t.byteSize());
    }

    /** Releases the pages of the tensor handed to the writer before, and hands over {@code next}. */
    private static Tensor hand(Tensor[] previous, Tensor next) {
        if (previous[0] != null) release(previous[0]);
        previous[0] = next;
        return next;
    }

    /** Drops the resident pages of a view of a mapped file (a later read faults them back in). */
    private static void release(Tensor tensor) {
        if (tensor.isSymbolic() || !tensor.segment().isMapped() || tensor.byteSize() == 0) return;
        tensor.segment().asSlice(tensor.byteOffset(), tensor.byteSize()).unload();
    }
}
