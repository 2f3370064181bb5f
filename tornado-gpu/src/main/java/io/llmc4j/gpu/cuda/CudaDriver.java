package io.llmc4j.gpu.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The CUDA driver API ({@code libcuda.so.1}) bound through FFM: one downcall handle per entry point
 * llmc4j uses (the {@code _v2} symbols where the header maps to them). CUresult and CUdevice are
 * {@code int}; CUdeviceptr and size_t {@code long}; contexts, modules, functions and streams are
 * addresses. {@link #load()} initializes the driver once (cuInit).
 */
final class CudaDriver {
    static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    static final int CU_JIT_INFO_LOG_BUFFER = 3, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
    static final int CU_JIT_ERROR_LOG_BUFFER = 5, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;

    private static volatile CudaDriver instance;

    final MethodHandle init, getErrorName, deviceGetCount, deviceGet, deviceGetName, deviceTotalMem, deviceGetAttribute;
    final MethodHandle primaryCtxRetain, primaryCtxRelease, ctxSetCurrent;
    final MethodHandle moduleLoadDataEx, moduleUnload, moduleGetFunction, launchKernel;
    final MethodHandle memAlloc, memFree, memcpyHtoD, memcpyDtoH, memcpyHtoDAsync, memcpyDtoHAsync;
    final MethodHandle streamCreate, streamSynchronize, streamDestroy;

    private CudaDriver(SymbolLookup lib) {
        init = bind(lib, "cuInit", JAVA_INT, JAVA_INT);
        getErrorName = bind(lib, "cuGetErrorName", JAVA_INT, JAVA_INT, ADDRESS);
        deviceGetCount = bind(lib, "cuDeviceGetCount", JAVA_INT, ADDRESS);
        deviceGet = bind(lib, "cuDeviceGet", JAVA_INT, ADDRESS, JAVA_INT);
        deviceGetName = bind(lib, "cuDeviceGetName", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        deviceTotalMem = bind(lib, "cuDeviceTotalMem_v2", JAVA_INT, ADDRESS, JAVA_INT);
        deviceGetAttribute = bind(lib, "cuDeviceGetAttribute", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        primaryCtxRetain = bind(lib, "cuDevicePrimaryCtxRetain", JAVA_INT, ADDRESS, JAVA_INT);
        primaryCtxRelease = bind(lib, "cuDevicePrimaryCtxRelease_v2", JAVA_INT, JAVA_INT);
        ctxSetCurrent = bind(lib, "cuCtxSetCurrent", JAVA_INT, ADDRESS);
        moduleLoadDataEx = bind(lib, "cuModuleLoadDataEx", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        moduleUnload = bind(lib, "cuModuleUnload", JAVA_INT, ADDRESS);
        moduleGetFunction = bind(lib, "cuModuleGetFunction", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        launchKernel = bind(lib, "cuLaunchKernel", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        memAlloc = bind(lib, "cuMemAlloc_v2", JAVA_INT, ADDRESS, JAVA_LONG);
        memFree = bind(lib, "cuMemFree_v2", JAVA_INT, JAVA_LONG);
        memcpyHtoD = bind(lib, "cuMemcpyHtoD_v2", JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG);
        memcpyDtoH = bind(lib, "cuMemcpyDtoH_v2", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
        memcpyHtoDAsync = bind(lib, "cuMemcpyHtoDAsync_v2", JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
        memcpyDtoHAsync = bind(lib, "cuMemcpyDtoHAsync_v2", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
        streamCreate = bind(lib, "cuStreamCreate", JAVA_INT, ADDRESS, JAVA_INT);
        streamSynchronize = bind(lib, "cuStreamSynchronize", JAVA_INT, ADDRESS);
        streamDestroy = bind(lib, "cuStreamDestroy_v2", JAVA_INT, ADDRESS);
    }

    /** The bound and initialized driver. */
    static CudaDriver load() {
        CudaDriver d = instance;
        if (d == null) {
            synchronized (CudaDriver.class) {
                if (instance == null) {
                    CudaDriver made = new CudaDriver(SymbolLookup.libraryLookup("libcuda.so.1", Arena.global()));
                    made.call("cuInit", made.init, 0);
                    instance = made;
                }
                d = instance;
            }
        }
        return d;
    }

    /** Why the driver cannot be used here, or empty when it loads and initializes. */
    static Optional<String> unavailableReason() {
        try {
            load();
            return Optional.empty();
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            return Optional.of("libcuda.so.1 not loadable (" + e.getMessage() + ")");
        } catch (CudaException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Invokes a handle returning CUresult; throws {@link CudaException} naming {@code name} unless it is CUDA_SUCCESS. */
    void call(String name, MethodHandle handle, Object... args) {
        int result;
        try {
            result = (int) handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + ": " + t, t);
        }
        if (result != 0) throw new CudaException(name, result, errorName(result), "");
    }

    /** The driver's name for {@code result}, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    String errorName(int result) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(ADDRESS);
            int status = (int) getErrorName.invokeExact(result, text);
            MemorySegment p = text.get(ADDRESS, 0);
            return status == 0 && !p.equals(MemorySegment.NULL) ? p.reinterpret(256).getString(0) : "CUresult";
        } catch (Throwable t) {
            return "CUresult";
        }
    }

    private static MethodHandle bind(SymbolLookup lib, String name, MemoryLayout ret, MemoryLayout... args) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libcuda.so.1 has no symbol " + name));
        return Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(ret, args));
    }
}
