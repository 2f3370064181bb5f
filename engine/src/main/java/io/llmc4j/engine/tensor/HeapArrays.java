package io.llmc4j.engine.tensor;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.IntFunction;

/**
 * Java arrays behind heap tensors ({@link Tensor#allocate(DType, long...)}), with large ones placed
 * so that their first element starts a 64-byte cache line.
 *
 * <p>Why: a Java array's elements start a header's length (16 bytes with the default object
 * headers) past the object, and large arrays live at the start of their own GC region or page (G1's
 * humongous regions, ZGC's large pages). So every row of a large activation starts 16 bytes into a
 * cache line and every 64-byte vector load or store splits across two lines. Measured with
 * {@code bench/run-bandwidth.sh} (RMSNorm of 4096×4096 F32, one thread, AVX-512, both placements
 * in one run): 0.84 of memcpy bandwidth on line boundaries against 0.69 mid-line; over six runs
 * the aligned rows were 0.01 to 0.15 ahead, least when other jobs loaded the memory bus.
 *
 * <p>How: a large array gets one line of slack, its element 0's address is read once (a
 * zero-length {@code memset}, which returns its argument, called as a critical downcall that may
 * see heap memory), and the tensor's segment starts at the first line boundary. Only arrays of at
 * least {@link #ALIGN_FROM_BYTES} are placed: smaller ones are copied between young-generation
 * spaces by the collector and lose the placement (so do larger ones below the collector's
 * humongous size, half a G1 region: 1 MiB with the 2 MiB regions G1 picks for heaps of 4 to 8 GiB);
 * a moved array is merely slower, never wrong. Without native access (the module is not granted
 * it) arrays are used as allocated, with no warning printed.
 */
final class HeapArrays {
    /** Arrays from this size on are placed on a cache line. */
    static final long ALIGN_FROM_BYTES = 1 << 20;
    static final int LINE = 64;
    /** {@code void* memset(void*, int, size_t)} over heap memory, or null without native access. */
    private static final MethodHandle MEMSET = memset();

    private HeapArrays() {
    }

    /**
     * A zeroed segment of {@code count} elements of {@code elementBytes} bytes each, over an array
     * that {@code allocate} makes (given a length in elements), cache-line aligned when large.
     */
    static MemorySegment allocate(int count, int elementBytes, IntFunction<MemorySegment> allocate) {
        long bytes = (long) count * elementBytes;
        int slack = LINE / elementBytes;
        if (MEMSET == null || bytes < ALIGN_FROM_BYTES || count > Integer.MAX_VALUE - 8 - slack)
            return allocate.apply(count);
        MemorySegment whole = allocate.apply(count + slack);
        long address = addressOf(whole);
        long skip = address < 0 || address % elementBytes != 0 ? 0 : Math.floorMod(-address, LINE);
        return whole.asSlice(skip, bytes);
    }

    /** Whether large arrays are placed on cache lines in this JVM (native access is granted). */
    static boolean aligning() {
        return MEMSET != null;
    }

    /** The current address of element 0 of a heap segment (or of a native one), -1 when unknown. */
    static long addressOf(MemorySegment segment) {
        if (segment.isNative()) return segment.address();
        if (MEMSET == null) return -1;
        try {
            return ((MemorySegment) MEMSET.invokeExact(segment, 0, 0L)).address();
        } catch (Throwable e) {
            return -1;
        }
    }

    private static MethodHandle memset() {
        if (!HeapArrays.class.getModule().isNativeAccessEnabled()) return null;
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("memset")
                    .map(symbol -> linker.downcallHandle(symbol,
                            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                            Linker.Option.critical(true)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
