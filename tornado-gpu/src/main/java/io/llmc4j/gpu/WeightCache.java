package io.llmc4j.gpu;

import io.llmc4j.engine.tensor.Tensor;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Device copies of weights, keyed by the identity of their {@link Tensor}, least recently used
 * evicted past a byte budget. Only tensors over read-only memory are cached (mapped checkpoint
 * weights, frozen fake-quantized weights): their contents cannot change behind the cache, so a
 * subgraph's weights go to the device on its first batch and are reused by the others. A tensor
 * that is garbage-collected frees its device copy on a later call. Not thread-safe (the owning
 * {@link DeviceAccelerator} serializes calls).
 */
final class WeightCache implements AutoCloseable {
    private final long budgetBytes;
    private final ReferenceQueue<Tensor> collected = new ReferenceQueue<>();
    private final LinkedHashMap<Key, DeviceBuffer> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long uploads;

    WeightCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** Whether {@code weight} may be cached: its memory is read-only. */
    static boolean cacheable(Tensor weight) {
        return weight.segment().isReadOnly();
    }

    /** The cached copy of {@code weight}, made with {@code upload} when absent. */
    DeviceBuffer get(Tensor weight, Function<Tensor, DeviceBuffer> upload) {
        dropCollected();
        Key probe = new Key(weight, null);
        DeviceBuffer hit = entries.get(probe);
        if (hit != null) return hit;
        DeviceBuffer made = upload.apply(weight);
        uploads++;
        entries.put(new Key(weight, collected), made);
        bytes += made.bytes();
        evictBeyondBudget(made);
        return made;
    }

    /** How many uploads the cache has made (for tests and logs). */
    long uploads() {
        return uploads;
    }

    private void evictBeyondBudget(DeviceBuffer keep) {
        Iterator<Map.Entry<Key, DeviceBuffer>> it = entries.entrySet().iterator();
        while (bytes > budgetBytes && it.hasNext()) {
            Map.Entry<Key, DeviceBuffer> oldest = it.next();
            if (oldest.getValue() == keep) continue;
            it.remove();
            bytes -= oldest.getValue().bytes();
            oldest.getValue().close();
        }
    }

    private void dropCollected() {
        for (Object ref; (ref = collected.poll()) != null; ) {
            DeviceBuffer buffer = entries.remove((Key) ref);
            if (buffer != null) {
                bytes -= buffer.bytes();
                buffer.close();
            }
        }
    }

    @Override
    public void close() {
        entries.values().forEach(DeviceBuffer::close);
        entries.clear();
        bytes = 0;
    }

    /** A weak identity key: equal to another key only while both refer to the same live tensor. */
    private static final class Key extends WeakReference<Tensor> {
        private final int hash;

        Key(Tensor tensor, ReferenceQueue<Tensor> queue) {
            super(tensor, queue);
            this.hash = System.identityHashCode(tensor);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Key other)) return false;
            Tensor t = get();
            return t != null && t == other.get();
        }
    }
}
