package io.llmc4j.gpu.opencl;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** An in-order command queue; {@link #close()} finishes and releases it (idempotent). */
public final class ClQueue implements AutoCloseable {
    private final OpenCl cl = OpenCl.load();
    private MemorySegment handle;

    public ClQueue(ClContext context) {
        try (Arena arena = Arena.ofConfined()) {
            handle = OpenCl.create("clCreateCommandQueue", cl.createCommandQueue, arena, context.handle(), context.device().handle(), 0L);
        }
    }

    /** Blocking copy of {@code host} (native memory) into {@code buffer} at byte {@code offset}. */
    public void write(ClBuffer buffer, long offset, MemorySegment host) {
        OpenCl.call("clEnqueueWriteBuffer", cl.enqueueWriteBuffer, handle(), buffer.handle(), 1, offset, host.byteSize(), host,
                0, MemorySegment.NULL, MemorySegment.NULL);
    }

    /** Blocking copy of {@code host.byteSize()} bytes of {@code buffer} from byte {@code offset} into {@code host} (native). */
    public void read(ClBuffer buffer, long offset, MemorySegment host) {
        OpenCl.call("clEnqueueReadBuffer", cl.enqueueReadBuffer, handle(), buffer.handle(), 1, offset, host.byteSize(), host,
                0, MemorySegment.NULL, MemorySegment.NULL);
    }

    /** Enqueues {@code kernel} over {@code global} work items in groups of {@code local} (null: the driver chooses). */
    public void launch(ClKernel kernel, long[] global, long[] local) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = arena.allocateFrom(JAVA_LONG, global);
            MemorySegment l = local == null ? MemorySegment.NULL : arena.allocateFrom(JAVA_LONG, local);
            OpenCl.call("clEnqueueNDRangeKernel(" + kernel.name() + ")", cl.enqueueNDRangeKernel, handle(), kernel.handle(), global.length,
                    MemorySegment.NULL, g, l, 0, MemorySegment.NULL, MemorySegment.NULL);
        }
    }

    /** Waits for every enqueued command. */
    public void finish() {
        OpenCl.call("clFinish", cl.finish, handle());
    }

    private MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("OpenCL queue is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle == null) return;
        try {
            finish();
        } finally {
            OpenCl.call("clReleaseCommandQueue", cl.releaseCommandQueue, handle);
            handle = null;
        }
    }
}
