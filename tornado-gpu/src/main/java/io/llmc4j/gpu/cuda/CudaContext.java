package io.llmc4j.gpu.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The primary context of one CUDA device (retained on open, released on {@link #close()}), with the
 * device's name, memory and compute capability. {@link #makeCurrent()} binds it to the calling
 * thread; every backend call does so first.
 */
public final class CudaContext implements AutoCloseable {
    private final CudaDriver cu = CudaDriver.load();
    private final int device;
    private final String name;
    private final long memoryBytes;
    private final int computeCapability, multiprocessors;
    private MemorySegment handle;

    public CudaContext(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dev = arena.allocate(JAVA_INT);
            cu.call("cuDeviceGet(" + ordinal + ")", cu.deviceGet, dev, ordinal);
            device = dev.get(JAVA_INT, 0);
            MemorySegment text = arena.allocate(256);
            cu.call("cuDeviceGetName", cu.deviceGetName, text, 256, device);
            name = text.getString(0);
            MemorySegment bytes = arena.allocate(JAVA_LONG);
            cu.call("cuDeviceTotalMem", cu.deviceTotalMem, bytes, device);
            memoryBytes = bytes.get(JAVA_LONG, 0);
            computeCapability = 10 * attribute(arena, CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
                    + attribute(arena, CudaDriver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            multiprocessors = attribute(arena, CudaDriver.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            MemorySegment ctx = arena.allocate(ADDRESS);
            cu.call("cuDevicePrimaryCtxRetain", cu.primaryCtxRetain, ctx, device);
            handle = ctx.get(ADDRESS, 0);
        }
        makeCurrent();
    }

    /** The number of CUDA devices (0 when the driver loads but sees none). */
    public static int deviceCount() {
        CudaDriver cu = CudaDriver.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            cu.call("cuDeviceGetCount", cu.deviceGetCount, n);
            return n.get(JAVA_INT, 0);
        }
    }

    private int attribute(Arena arena, int attribute) {
        MemorySegment value = arena.allocate(JAVA_INT);
        cu.call("cuDeviceGetAttribute(" + attribute + ")", cu.deviceGetAttribute, value, attribute, device);
        return value.get(JAVA_INT, 0);
    }

    /** Binds this context to the calling thread. */
    public void makeCurrent() {
        if (handle == null) throw new IllegalStateException("CUDA context of " + name + " is closed");
        cu.call("cuCtxSetCurrent", cu.ctxSetCurrent, handle);
    }

    public String name() {
        return name;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    /** Compute capability as major·10 + minor (90 for Hopper). */
    public int computeCapability() {
        return computeCapability;
    }

    public int multiprocessors() {
        return multiprocessors;
    }

    @Override
    public void close() {
        if (handle == null) return;
        handle = null;
        cu.call("cuDevicePrimaryCtxRelease", cu.primaryCtxRelease, device);
    }
}
