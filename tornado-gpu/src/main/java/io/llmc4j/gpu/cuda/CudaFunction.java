package io.llmc4j.gpu.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A kernel of a {@link CudaModule}. A CUfunction lives as long as its module and is not released
 * separately, so this is a value. Arguments: {@code Integer}, {@code Long}, {@code Float},
 * {@link CudaBuffer} (its device pointer) or null (a null pointer).
 */
public record CudaFunction(String name, MemorySegment handle) {

    /** Enqueues this kernel on {@code stream} over {@code grid} blocks of {@code block} threads. */
    public void launch(CudaStream stream, int[] grid, int[] block, Object... args) {
        CudaDriver cu = CudaDriver.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(ADDRESS, args.length);
            for (int i = 0; i < args.length; i++) {
                Object value = args[i];
                MemorySegment v = switch (value) {
                    case Integer x -> arena.allocateFrom(JAVA_INT, x);
                    case Long x -> arena.allocateFrom(JAVA_LONG, x);
                    case Float x -> arena.allocateFrom(JAVA_FLOAT, x);
                    case CudaBuffer b -> arena.allocateFrom(JAVA_LONG, b.pointer());
                    case null -> arena.allocateFrom(JAVA_LONG, 0L);
                    default -> throw new IllegalArgumentException(name + " argument " + i + ": unsupported type " + value.getClass().getName());
                };
                params.setAtIndex(ADDRESS, i, v);
            }
            cu.call("cuLaunchKernel(" + name + ")", cu.launchKernel, handle, grid[0], grid[1], grid[2], block[0], block[1], block[2],
                    0, stream.handle(), params, MemorySegment.NULL);
        }
    }
}
