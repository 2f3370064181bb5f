package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits tensors into shards the way huggingface_hub {@code split_state_dict_into_shards_factory}
 * does: walk the tensors in map order, adding each to the current shard; a tensor that would push the
 * current shard past {@code maxShardBytes} starts a new shard; a tensor larger than
 * {@code maxShardBytes} gets a shard of its own (emitted at once, before the shard being filled).
 * Sizes count tensor data bytes only. Shards are named {@code model.safetensors} when there is one,
 * else {@code model-00001-of-0000N.safetensors}.
 *
 * @param shards file name to the tensors it holds, in file order
 */
record ShardPlan(Map<String, Map<String, Tensor>> shards, long totalByteSize) {
    static ShardPlan of(Map<String, Tensor> tensors, long maxShardBytes) {
        if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
        List<Map<String, Tensor>> shards = new ArrayList<>();
        Map<String, Tensor> current = new LinkedHashMap<>();
        long currentBytes = 0, total = 0;
        for (var entry : tensors.entrySet()) {
            long size = entry.getValue() == null ? 0 : entry.getValue().byteSize();
            total = Math.addExact(total, size);
            if (size > maxShardBytes) {
                shards.add(Map.of(entry.getKey(), entry.getValue()));
                continue;
            }
            if (currentBytes + size > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(entry.getKey(), entry.getValue());
            currentBytes += size;
        }
        if (!current.isEmpty() || shards.isEmpty()) shards.add(current);
        Map<String, Map<String, Tensor>> named = new LinkedHashMap<>();
        for (int i = 0; i < shards.size(); i++) named.put(fileName(i, shards.size()), shards.get(i));
        return new ShardPlan(named, total);
    }

    /** Hugging Face's shard file name: {@code model.safetensors}, or {@code model-00002-of-00005.safetensors}. */
    static String fileName(int index, int count) {
        if (count == 1) return SafetensorsCheckpoint.SINGLE_FILE_NAME;
        return String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", index + 1, count);
    }

    boolean isSharded() {
        return shards.size() > 1;
    }
}
