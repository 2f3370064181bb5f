package io.llmc4j.gpu.opencl;

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
 * The OpenCL ICD loader ({@code libOpenCL.so.1}) bound through FFM: one downcall handle per entry
 * point llmc4j uses. {@link #load()} fails with a reason when the library is absent. cl_int and
 * cl_uint are {@code int}, size_t / cl_ulong / bitfields {@code long}, handles are addresses.
 */
final class OpenCl {
    static final int CL_SUCCESS = 0;
    static final int CL_PLATFORM_NAME = 0x0902;
    static final int CL_DEVICE_TYPE = 0x1000;
    static final int CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F;
    static final int CL_DEVICE_NAME = 0x102B;
    static final long CL_DEVICE_TYPE_CPU = 1 << 1;
    static final long CL_DEVICE_TYPE_GPU = 1 << 2;
    static final long CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;
    static final long CL_MEM_READ_WRITE = 1;
    static final int CL_PROGRAM_BUILD_LOG = 0x1183;

    private static volatile OpenCl instance;

    final MethodHandle getPlatformIDs, getPlatformInfo, getDeviceIDs, getDeviceInfo;
    final MethodHandle createContext, releaseContext, createCommandQueue, releaseCommandQueue, finish;
    final MethodHandle createBuffer, releaseMemObject, enqueueWriteBuffer, enqueueReadBuffer;
    final MethodHandle createProgramWithSource, buildProgram, getProgramBuildInfo, releaseProgram;
    final MethodHandle createKernel, setKernelArg, enqueueNDRangeKernel, releaseKernel;

    private OpenCl(SymbolLookup lib) {
        getPlatformIDs = bind(lib, "clGetPlatformIDs", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        getPlatformInfo = bind(lib, "clGetPlatformInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        getDeviceIDs = bind(lib, "clGetDeviceIDs", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        getDeviceInfo = bind(lib, "clGetDeviceInfo", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        createContext = bind(lib, "clCreateContext", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        releaseContext = bind(lib, "clReleaseContext", JAVA_INT, ADDRESS);
        createCommandQueue = bind(lib, "clCreateCommandQueue", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
        releaseCommandQueue = bind(lib, "clReleaseCommandQueue", JAVA_INT, ADDRESS);
        finish = bind(lib, "clFinish", JAVA_INT, ADDRESS);
        createBuffer = bind(lib, "clCreateBuffer", ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
        releaseMemObject = bind(lib, "clReleaseMemObject", JAVA_INT, ADDRESS);
        enqueueWriteBuffer = bind(lib, "clEnqueueWriteBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        enqueueReadBuffer = bind(lib, "clEnqueueReadBuffer", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        createProgramWithSource = bind(lib, "clCreateProgramWithSource", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        buildProgram = bind(lib, "clBuildProgram", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        getProgramBuildInfo = bind(lib, "clGetProgramBuildInfo", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        releaseProgram = bind(lib, "clReleaseProgram", JAVA_INT, ADDRESS);
        createKernel = bind(lib, "clCreateKernel", ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        setKernelArg = bind(lib, "clSetKernelArg", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
        enqueueNDRangeKernel = bind(lib, "clEnqueueNDRangeKernel", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        releaseKernel = bind(lib, "clReleaseKernel", JAVA_INT, ADDRESS);
    }

    /** The bound library, loaded once. */
    static OpenCl load() throws UnsatisfiedLinkError {
        OpenCl cl = instance;
        if (cl == null) {
            synchronized (OpenCl.class) {
                if (instance == null) instance = new OpenCl(SymbolLookup.libraryLookup("libOpenCL.so.1", Arena.global()));
                cl = instance;
            }
        }
        return cl;
    }

    /** Why OpenCL cannot be used here, or empty when the library loads. */
    static Optional<String> unavailableReason() {
        try {
            load();
            return Optional.empty();
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            return Optional.of("libOpenCL.so.1 not loadable (" + e.getMessage() + ")");
        }
    }

    /** Throws {@link ClException} naming {@code call} unless {@code status} is CL_SUCCESS. */
    static void check(String call, int status) {
        if (status != CL_SUCCESS) throw new ClException(call, status);
    }

    /** Invokes a handle returning cl_int and checks the status. */
    static void call(String name, MethodHandle handle, Object... args) {
        int status;
        try {
            status = (int) handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + ": " + t, t);
        }
        check(name, status);
    }

    /** Invokes a handle returning an object whose status comes back through {@code errcode} (last argument). */
    static MemorySegment create(String name, MethodHandle handle, Arena arena, Object... argsBeforeErrcode) {
        MemorySegment errcode = arena.allocate(JAVA_INT);
        Object[] args = new Object[argsBeforeErrcode.length + 1];
        System.arraycopy(argsBeforeErrcode, 0, args, 0, argsBeforeErrcode.length);
        args[args.length - 1] = errcode;
        MemorySegment result;
        try {
            result = (MemorySegment) handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + ": " + t, t);
        }
        check(name, errcode.get(JAVA_INT, 0));
        return result;
    }

    private static MethodHandle bind(SymbolLookup lib, String name, MemoryLayout ret, MemoryLayout... args) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libOpenCL.so.1 has no symbol " + name));
        return Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(ret, args));
    }
}
