package io.llmc4j.gpu.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A program built from OpenCL C source for the context's device; a failed build throws a
 * {@link ClException} whose message carries the compiler's build log. {@link #close()} releases it.
 */
public final class ClProgram implements AutoCloseable {
    private final OpenCl cl = OpenCl.load();
    private final String label;
    private MemorySegment handle;

    /** Builds {@code source} (named {@code label} in errors, e.g. its resource path) with {@code options}. */
    public ClProgram(ClContext context, String label, String source, String options) {
        this.label = label;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom(source);
            MemorySegment strings = arena.allocate(ADDRESS);
            strings.set(ADDRESS, 0, text);
            MemorySegment lengths = arena.allocateFrom(JAVA_LONG, text.byteSize() - 1);
            handle = OpenCl.create("clCreateProgramWithSource(" + label + ")", cl.createProgramWithSource, arena, context.handle(), 1, strings, lengths);
            MemorySegment devices = arena.allocate(ADDRESS);
            devices.set(ADDRESS, 0, context.device().handle());
            int status;
            try {
                status = (int) cl.buildProgram.invokeExact(handle, 1, devices, arena.allocateFrom(options), MemorySegment.NULL, MemorySegment.NULL);
            } catch (Throwable t) {
                throw new IllegalStateException("clBuildProgram: " + t, t);
            }
            if (status != OpenCl.CL_SUCCESS) {
                String log = buildLog(context.device());
                close();
                throw new ClException("clBuildProgram(" + label + ") on " + context.device(), status, "build log:\n" + log);
            }
        }
    }

    private String buildLog(ClDevice device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            OpenCl.call("clGetProgramBuildInfo", cl.getProgramBuildInfo, handle, device.handle(), OpenCl.CL_PROGRAM_BUILD_LOG, 0L, MemorySegment.NULL, size);
            long n = size.get(JAVA_LONG, 0);
            MemorySegment log = arena.allocate(Math.max(1, n));
            OpenCl.call("clGetProgramBuildInfo", cl.getProgramBuildInfo, handle, device.handle(), OpenCl.CL_PROGRAM_BUILD_LOG, n, log, MemorySegment.NULL);
            return log.getString(0).strip();
        } catch (ClException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    String label() {
        return label;
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("OpenCL program " + label + " is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle == null) return;
        OpenCl.call("clReleaseProgram", cl.releaseProgram, handle);
        handle = null;
    }
}
