package io.llmc4j.gpu.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** An OpenCL context over one device; {@link #close()} releases it (idempotent). */
public final class ClContext implements AutoCloseable {
    private final ClDevice device;
    private MemorySegment handle;

    public ClContext(ClDevice device) {
        this.device = device;
        OpenCl cl = OpenCl.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocate(ADDRESS);
            devices.set(ADDRESS, 0, device.handle());
            handle = OpenCl.create("clCreateContext", cl.createContext, arena, MemorySegment.NULL, 1, devices, MemorySegment.NULL, MemorySegment.NULL);
        }
    }

    public ClDevice device() {
        return device;
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("OpenCL context on " + device + " is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle == null) return;
        OpenCl.call("clReleaseContext", OpenCl.load().releaseContext, handle);
        handle = null;
    }
}
