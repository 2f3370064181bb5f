package io.llmc4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Releases the resident pages of a tensor whose memory is a view of a memory-mapped file (a weight
 * of a model opened from safetensors): {@link MemorySegment#unload()} over its bytes, on Linux
 * {@code madvise(MADV_DONTNEED)} on a read-only file mapping. The data stays valid: a later read
 * faults the pages back in from the page cache or the file. Other tensors (heap, arena, symbolic)
 * are left alone. Stateless and thread-safe; releasing pages another thread is reading only costs
 * that thread page faults.
 */
public final class MappedPages {
    private MappedPages() {
    }

    /** Whether {@code tensor} has data and its memory is a view of a mapped file. */
    public static boolean isMapped(Tensor tensor) {
        return tensor != null && !tensor.isSymbolic() && tensor.segment().isMapped();
    }

    /**
     * Releases {@code tensor}'s pages when it is mapped.
     *
     * @return the tensor's byte size when it was mapped (not rounded to pages), else 0
     */
    public static long release(Tensor tensor) {
        if (!isMapped(tensor)) return 0;
        long size = tensor.byteSize();
        if (size == 0) return 0;
        // a strided view covers more than byteSize(): release from its first element to the segment's end at most
        long span = tensor.isContiguous() ? size : tensor.segment().byteSize() - tensor.byteOffset();
        tensor.segment().asSlice(tensor.byteOffset(), span).unload();
        return size;
    }
}
