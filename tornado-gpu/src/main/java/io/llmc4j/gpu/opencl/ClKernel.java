package io.llmc4j.gpu.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One kernel of a {@link ClProgram}. Arguments are set by position: {@code Integer} (int),
 * {@code Long} (long), {@code Float}, {@link ClBuffer} or null (a null buffer). Not thread-safe
 * (OpenCL kernel arguments are shared state). {@link #close()} releases it.
 */
public final class ClKernel implements AutoCloseable {
    private final OpenCl cl = OpenCl.load();
    private final String name;
    private MemorySegment handle;

    public ClKernel(ClProgram program, String name) {
        this.name = program.label() + ":" + name;
        try (Arena arena = Arena.ofConfined()) {
            handle = OpenCl.create("clCreateKernel(" + this.name + ")", cl.createKernel, arena, program.handle(), arena.allocateFrom(name));
        }
    }

    /** Sets all arguments in order. */
    public ClKernel args(Object... values) {
        for (int i = 0; i < values.length; i++) arg(i, values[i]);
        return this;
    }

    /** Sets argument {@code index}. */
    public void arg(int index, Object value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = switch (value) {
                case Integer x -> arena.allocateFrom(JAVA_INT, x);
                case Long x -> arena.allocateFrom(JAVA_LONG, x);
                case Float x -> arena.allocateFrom(JAVA_FLOAT, x);
                case ClBuffer b -> arena.allocateFrom(ADDRESS, b.handle());
                case null -> arena.allocateFrom(ADDRESS, MemorySegment.NULL);
                default -> throw new IllegalArgumentException(name + " argument " + index + ": unsupported type " + value.getClass().getName());
            };
            OpenCl.call("clSetKernelArg(" + name + ", " + index + ")", cl.setKernelArg, handle(), index, v.byteSize(), v);
        }
    }

    String name() {
        return name;
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("OpenCL kernel " + name + " is closed");
        return handle;
    }

    @Override
    public void close() {
        if (handle == null) return;
        OpenCl.call("clReleaseKernel", cl.releaseKernel, handle);
        handle = null;
    }
}
