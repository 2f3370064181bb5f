package io.llmc4j.gpu.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A CUDA stream (in-order work queue); {@link #close()} synchronizes and destroys it (idempotent). */
public final class CudaStream implements AutoCloseable {
    private final CudaDriver cu = CudaDriver.load();
    private MemorySegment handle;

    public CudaStream() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(ADDRESS);
            cu.call("cuStreamCreate", cu.streamCreate, s, 0);
            handle = s.get(ADDRESS, 0);
        }
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("CUDA stream is closed");
        return handle;
    }

    /** Waits until all work on this stream is done. */
    public void synchronize() {
        cu.call("cuStreamSynchronize", cu.streamSynchronize, handle());
    }

    @Override
    public void close() {
        if (handle == null) return;
        try {
            synchronize();
        } finally {
            cu.call("cuStreamDestroy", cu.streamDestroy, handle);
            handle = null;
        }
    }
}
