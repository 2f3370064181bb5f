package io.llmc4j.gpu.opencl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenCL platform (one installed driver). Platforms are not reference-counted by OpenCL, so this
 * is a value, not a resource: there is nothing to release.
 */
public record ClPlatform(MemorySegment handle, String name) {

    /** The platforms the ICD loader knows; empty when none is installed. */
    public static List<ClPlatform> all() {
        OpenCl cl = OpenCl.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int status = invoke(cl, 0, MemorySegment.NULL, count);
            if (status == -1001) return List.of();   // CL_PLATFORM_NOT_FOUND_KHR: loader without drivers
            OpenCl.check("clGetPlatformIDs", status);
            int n = count.get(JAVA_INT, 0);
            if (n == 0) return List.of();
            MemorySegment ids = arena.allocate(ADDRESS, n);
            OpenCl.check("clGetPlatformIDs", invoke(cl, n, ids, MemorySegment.NULL));
            List<ClPlatform> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MemorySegment id = ids.getAtIndex(ADDRESS, i);
                out.add(new ClPlatform(id, ClInfo.string("clGetPlatformInfo", cl.getPlatformInfo, id, OpenCl.CL_PLATFORM_NAME)));
            }
            return out;
        }
    }

    /** This platform's devices of {@code type} ({@code CL_DEVICE_TYPE_*}); empty when it has none. */
    public List<ClDevice> devices(long type) {
        OpenCl cl = OpenCl.load();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int status = devices(cl, type, 0, MemorySegment.NULL, count);
            if (status == -1) return List.of();   // CL_DEVICE_NOT_FOUND
            OpenCl.check("clGetDeviceIDs", status);
            int n = count.get(JAVA_INT, 0);
            MemorySegment ids = arena.allocate(ADDRESS, Math.max(1, n));
            OpenCl.check("clGetDeviceIDs", devices(cl, type, n, ids, MemorySegment.NULL));
            List<ClDevice> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(ClDevice.of(this, ids.getAtIndex(ADDRESS, i)));
            return out;
        }
    }

    private int devices(OpenCl cl, long type, int n, MemorySegment ids, MemorySegment count) {
        try {
            return (int) cl.getDeviceIDs.invokeExact(handle, type, n, ids, count);
        } catch (Throwable t) {
            throw new IllegalStateException("clGetDeviceIDs: " + t, t);
        }
    }

    private static int invoke(OpenCl cl, int n, MemorySegment ids, MemorySegment count) {
        try {
            return (int) cl.getPlatformIDs.invokeExact(n, ids, count);
        } catch (Throwable t) {
            throw new IllegalStateException("clGetPlatformIDs: " + t, t);
        }
    }
}
