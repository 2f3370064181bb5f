package io.llmc4j.gpu.opencl;

import io.llmc4j.gpu.DeviceBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A read-write device buffer ({@code cl_mem}); {@link #close()} releases it (idempotent). */
public final class ClBuffer implements DeviceBuffer {
    private final long bytes;
    private MemorySegment handle;

    public ClBuffer(ClContext context, long bytes) {
        this.bytes = bytes;
        try (Arena arena = Arena.ofConfined()) {
            handle = OpenCl.create("clCreateBuffer(" + bytes + " bytes)", OpenCl.load().createBuffer, arena,
                    context.handle(), OpenCl.CL_MEM_READ_WRITE, Math.max(1, bytes), MemorySegment.NULL);
        }
    }

    @Override
    public long bytes() {
        return bytes;
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("OpenCL buffer of " + bytes + " bytes is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle == null) return;
        OpenCl.call("clReleaseMemObject", OpenCl.load().releaseMemObject, handle);
        handle = null;
    }
}
