package io.llmc4j.gpu.opencl;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Reads {@code clGet*Info} values: strings and 64-bit numbers. */
final class ClInfo {
    private ClInfo() {
    }

    /** A string parameter of {@code object}, via a {@code (object, param, size, value, size_ret)} info call. */
    static String string(String call, MethodHandle info, MemorySegment object, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            OpenCl.call(call, info, object, param, 0L, MemorySegment.NULL, size);
            long n = size.get(JAVA_LONG, 0);
            MemorySegment value = arena.allocate(Math.max(1, n));
            OpenCl.call(call, info, object, param, n, value, MemorySegment.NULL);
            return value.getString(0).trim();
        }
    }

    /** A cl_ulong (or bitfield) parameter of {@code object}. */
    static long number(String call, MethodHandle info, MemorySegment object, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            OpenCl.call(call, info, object, param, 8L, value, MemorySegment.NULL);
            return value.get(JAVA_LONG, 0);
        }
    }
}
