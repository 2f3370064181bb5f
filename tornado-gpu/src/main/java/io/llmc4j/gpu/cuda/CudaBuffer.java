package io.llmc4j.gpu.cuda;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.llmc4j.gpu.DeviceBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Device memory from cuMemAlloc (plain, not managed); {@link #close()} frees it (idempotent). */
public final class CudaBuffer implements DeviceBuffer {
    private final CudaDriver cu = CudaDriver.load();
    private final long bytes;
    private long pointer;

    public CudaBuffer(long bytes) {
        this.bytes = bytes;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(JAVA_LONG);
            cu.call("cuMemAlloc(" + bytes + " bytes)", cu.memAlloc, p, Math.max(1, bytes));
            pointer = p.get(JAVA_LONG, 0);
        }
    }

    @Override
    public long bytes() {
        return bytes;
    }

    /** The CUdeviceptr. */
    long pointer() {
        if (pointer == 0) throw new IllegalStateException("CUDA buffer of " + bytes + " bytes is freed");
        return pointer;
    }

    @Override
    public void close() {
        if (pointer == 0) return;
        long p = pointer;
        pointer = 0;
        cu.call("cuMemFree", cu.memFree, p);
    }
}
