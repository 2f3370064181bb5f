package io.llmc4j.gpu.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A module loaded from PTX text (the driver compiles it for the device); a failed load throws a
 * {@link CudaException} carrying the JIT error log. {@link #close()} unloads it.
 */
public final class CudaModule implements AutoCloseable {
    private static final int LOG_BYTES = 16 * 1024;
    private final CudaDriver cu = CudaDriver.load();
    private final String label;
    private MemorySegment handle;

    /** Loads {@code ptx} (named {@code label} in errors) into the current context. */
    public CudaModule(String label, String ptx) {
        this.label = label;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment log = arena.allocate(LOG_BYTES);
            MemorySegment options = arena.allocateFrom(JAVA_INT, CudaDriver.CU_JIT_ERROR_LOG_BUFFER, CudaDriver.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES);
            MemorySegment values = arena.allocate(ADDRESS, 2);
            values.setAtIndex(ADDRESS, 0, log);
            values.setAtIndex(JAVA_LONG, 1, LOG_BYTES);
            MemorySegment module = arena.allocate(ADDRESS);
            int result;
            try {
                result = (int) cu.moduleLoadDataEx.invokeExact(module, arena.allocateFrom(ptx), 2, options, values);
            } catch (Throwable t) {
                throw new IllegalStateException("cuModuleLoadDataEx: " + t, t);
            }
            if (result != 0)
                throw new CudaException("cuModuleLoadDataEx(" + label + ")", result, cu.errorName(result), "JIT log:\n" + log.getString(0).strip());
            handle = module.get(ADDRESS, 0);
        }
    }

    /** The kernel {@code name} (an {@code extern "C"} entry) of this module. */
    public CudaFunction function(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment f = arena.allocate(ADDRESS);
            cu.call("cuModuleGetFunction(" + label + ":" + name + ")", cu.moduleGetFunction, f, handle(), arena.allocateFrom(name));
            return new CudaFunction(label + ":" + name, f.get(ADDRESS, 0));
        }
    }

    private MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("CUDA module " + label + " is unloaded");
        return handle;
    }

    @Override
    public void close() {
        if (handle == null) return;
        MemorySegment h = handle;
        handle = null;
        cu.call("cuModuleUnload", cu.moduleUnload, h);
    }
}
