package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.MappedPages;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Releases the resident pages of the memory-mapped parameters and buffers of a model's modules
 * (those of a model opened with mmapped safetensors), each tensor once ({@link MappedPages}). The
 * data stays valid: a later read faults the pages back in from the page cache or the file. Heap or
 * arena tensors (weights a modifier replaced, activations) are left alone. Stateless, thread-safe as long as nobody writes
 * to the model's module tree meanwhile.
 */
public final class MappedWeights {
    private MappedWeights() {
    }

    /**
     * Releases the mapped parameters and buffers of the modules at {@code paths} in {@code root}
     * (the modules themselves only, not their descendants: pass those too). Each tensor counts once
     * even when shared (tied embeddings).
     *
     * @return the bytes of the mapped tensors released (their view sizes, not rounded to pages)
     * @throws IllegalArgumentException when a path names no module of {@code root}
     */
    public static long release(Module root, Iterable<String> paths) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long bytes = 0;
        for (String path : paths) {
            Module module = path.isEmpty() ? root : root.submodule(path);
            for (Tensor t : module.parameters().values()) bytes += release(t, seen);
            for (Tensor t : module.buffers().values()) bytes += release(t, seen);
        }
        return bytes;
    }

    /** Bytes of the memory-mapped parameters and buffers of the modules at {@code paths}, each tensor once. */
    public static long mappedBytes(Module root, Iterable<String> paths) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long bytes = 0;
        for (String path : paths) {
            Module module = path.isEmpty() ? root : root.submodule(path);
            for (Tensor t : module.parameters().values()) if (t != null && isMapped(t) && seen.add(t)) bytes += t.byteSize();
            for (Tensor t : module.buffers().values()) if (t != null && isMapped(t) && seen.add(t)) bytes += t.byteSize();
        }
        return bytes;
    }

    /** Whether {@code tensor} has data and its memory is a view of a mapped file ({@link MappedPages#isMapped}). */
    public static boolean isMapped(Tensor tensor) {
        return MappedPages.isMapped(tensor);
    }

    private static long release(Tensor tensor, Set<Tensor> seen) {
        if (!isMapped(tensor) || !seen.add(tensor)) return 0;
        return MappedPages.release(tensor);
    }
}
