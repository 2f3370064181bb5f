package io.llmc4j.engine.ops.memory;

/**
 * A fixed number of {@link Window}s per thread, for the tasks of one kernel: a task takes its
 * windows with {@link #get()} instead of allocating new ones, so the staging arrays are allocated
 * once per thread and stay in cache.
 *
 * <p>Why: allocating fresh staging per task made a BF16→F32 conversion alternate between about 28
 * and 10 GB/s for whole runs (bench/run-bandwidth.sh, one thread; steady at 28 GB/s with reused
 * windows) — fresh TLAB memory is cold, and with a large young generation every allocation touches
 * pages for the first time.
 *
 * <p>Rules for callers: one pool per kernel (a static field), never shared between kernels that may
 * run inside one another; the windows belong to the calling task until it returns and must not be
 * kept or handed to another thread. Each window's scratch grows to the largest range it staged and
 * stays allocated for the thread's life (kernels stage chunks of bounded size, so this is small).
 * Thread-safe: every thread gets its own windows.
 */
public final class WindowPool {
    private final ThreadLocal<Window[]> windows;

    /** A pool handing each thread {@code count} windows. */
    public WindowPool(int count) {
        if (count < 1) throw new IllegalArgumentException("a window pool needs at least 1 window, got " + count);
        this.windows = ThreadLocal.withInitial(() -> {
            Window[] local = new Window[count];
            for (int i = 0; i < count; i++) local[i] = new Window();
            return local;
        });
    }

    /** The calling thread's windows (the same array on every call from this thread). */
    public Window[] get() {
        return windows.get();
    }

    /** The calling thread's first window. */
    public Window first() {
        return windows.get()[0];
    }
}
