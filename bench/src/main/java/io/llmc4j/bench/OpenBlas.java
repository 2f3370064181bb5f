package io.llmc4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * OpenBLAS's {@code cblas_sgemm} through Panama FFM (no JNI), the baseline of {@link GemmBench}.
 * Loads {@code libopenblas.so.0} (Debian: {@code libopenblas0-pthread}); {@link #load()} is empty
 * when the library is absent. Owns the library lookup's arena; close it when done. Operands must be
 * native segments (an Arena's, not heap arrays).
 */
final class OpenBlas implements AutoCloseable {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112, LOWER = 122;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private final Arena arena;
    private final MethodHandle sgemm;
    private final MethodHandle setThreads;
    private final MethodHandle ssyrk;
    private final MethodHandle spotrf;
    private final MethodHandle spotri;
    private final String description;

    private OpenBlas(Arena arena, SymbolLookup library) throws Throwable {
        Linker linker = Linker.nativeLinker();
        this.arena = arena;
        this.sgemm = linker.downcallHandle(library.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                INT, INT, INT, INT, INT, INT, FLOAT, ValueLayout.ADDRESS, INT, ValueLayout.ADDRESS, INT, FLOAT, ValueLayout.ADDRESS, INT));
        this.ssyrk = linker.downcallHandle(library.find("cblas_ssyrk").orElseThrow(), FunctionDescriptor.ofVoid(
                INT, INT, INT, INT, INT, FLOAT, ValueLayout.ADDRESS, INT, FLOAT, ValueLayout.ADDRESS, INT));
        // Fortran LAPACK: every argument by reference, then the hidden length of the character argument.
        FunctionDescriptor lapack = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
        this.spotrf = linker.downcallHandle(library.find("spotrf_").orElseThrow(), lapack);
        this.spotri = linker.downcallHandle(library.find("spotri_").orElseThrow(), lapack);
        this.setThreads = linker.downcallHandle(library.find("openblas_set_num_threads").orElseThrow(), FunctionDescriptor.ofVoid(INT));
        MethodHandle config = linker.downcallHandle(library.find("openblas_get_config").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS));
        MethodHandle core = linker.downcallHandle(library.find("openblas_get_corename").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS));
        this.description = text((MemorySegment) config.invokeExact()) + ", kernels for core " + text((MemorySegment) core.invokeExact());
    }

    /** OpenBLAS, or empty (with the reason on stderr) when {@code libopenblas.so.0} cannot be loaded. */
    static Optional<OpenBlas> load() {
        Arena arena = Arena.ofShared();
        try {
            return Optional.of(new OpenBlas(arena, SymbolLookup.libraryLookup("libopenblas.so.0", arena)));
        } catch (Throwable e) {
            arena.close();
            System.err.println("OpenBLAS unavailable (" + e.getMessage() + "); install libopenblas0-pthread for the baseline");
            return Optional.empty();
        }
    }

    /** Build configuration and the kernel set OpenBLAS chose for this CPU. */
    String description() {
        return description;
    }

    void threads(int count) throws Throwable {
        setThreads.invokeExact(count);
    }

    /** C[M,N] = A[M,K] · W[N,K]ᵀ (row-major), the Linear layout. */
    void linear(MemorySegment a, MemorySegment w, MemorySegment c, int m, int k, int n) throws Throwable {
        sgemm.invokeExact(ROW_MAJOR, NO_TRANS, TRANS, m, n, k, 1f, a, k, w, k, 0f, c, n);
    }

    /** C[M,N] = A[M,K] · B[K,N] (row-major). */
    void matmul(MemorySegment a, MemorySegment b, MemorySegment c, int m, int k, int n) throws Throwable {
        sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1f, a, k, b, n, 0f, c, n);
    }

    /** Lower triangle of the row-major C[N,N] += Xᵀ·X for X[K,N] (row-major): {@code ssyrk}. */
    void syrkLower(MemorySegment x, MemorySegment c, int n, int k) throws Throwable {
        ssyrk.invokeExact(ROW_MAJOR, LOWER, TRANS, n, k, 1f, x, n, 1f, c, n);
    }

    /** C[M,N] −= A[M,K] · B[K,N] with row strides lda, ldb, ldc (row-major). */
    void subtractProduct(MemorySegment a, int lda, MemorySegment b, int ldb, MemorySegment c, int ldc, int m, int k, int n) throws Throwable {
        sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, -1f, a, lda, b, ldb, 1f, c, ldc);
    }

    /**
     * LAPACK {@code spotrf} ({@code inverse} false) or {@code spotri} (true) on the column-major
     * {@code uplo} triangle of the n×n matrix a; returns LAPACK's info (0: success).
     */
    int lapack(boolean inverse, char uplo, MemorySegment a, int n, Arena scratch) throws Throwable {
        MemorySegment u = scratch.allocate(1), size = scratch.allocate(INT), info = scratch.allocate(INT);
        u.set(ValueLayout.JAVA_BYTE, 0, (byte) uplo);
        size.set(INT, 0, n);
        if (inverse) spotri.invokeExact(u, size, a, size, info, 1L);
        else spotrf.invokeExact(u, size, a, size, info, 1L);
        return info.get(INT, 0);
    }

    private static String text(MemorySegment cString) {
        return cString.reinterpret(4096).getString(0).trim();
    }

    @Override
    public void close() {
        arena.close();
    }
}
