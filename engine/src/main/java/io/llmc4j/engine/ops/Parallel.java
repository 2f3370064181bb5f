package io.llmc4j.engine.ops;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed pool of compute threads that runs numbered tasks: {@code forEach(n, task)} calls
 * {@code task.accept(i)} once for every {@code i < n}, on the pool and on the calling thread, and
 * returns when all calls have finished.
 *
 * <p>Determinism is the caller's part of the contract: kernels choose the task count and each task's
 * range from problem sizes only, never from {@link #threads()}, and combine per-task partial results
 * in task order. Then results are bit-identical whatever the number of threads.
 *
 * <p>Ownership: whoever creates a {@code Parallel} closes it (it owns {@code threads - 1} daemon
 * threads; the caller's thread is the last worker). There is no global instance. Thread-safe: several
 * threads may call {@link #forEach} at once. A task that itself calls {@code forEach} on the same
 * pool runs that inner loop on its own thread, so nested parallel kernels cannot deadlock.
 */
public final class Parallel implements AutoCloseable {
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();
    /**
     * How long an idle thread spins before it parks: a worker waiting for the next job, a caller
     * waiting for its job's last task. Kernels call {@link #forEach} back to back (a GEMM five times
     * per k block, a forward pass hundreds of times); waking a parked thread costs far more on a
     * virtual machine whose idle CPU was given back (measured: a 2-thread 512×2048×2048 GEMM at 340
     * GFLOPS back to back, 190 after the pool had parked).
     */
    private static final long SPIN_NANOS = 200_000;
    private static final Runnable STOP = () -> { };

    private final int threads;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Worker[] workers;

    /** A pool of {@code threads} threads in all (the caller's thread counts as one). */
    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("a thread pool needs at least 1 thread, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        int pool = POOL_NUMBER.incrementAndGet();
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, "llmc4j-compute-" + pool + "-" + (i + 1));
            workers[i].start();
        }
    }

    /** A pool sized to the processors available to this JVM. */
    public static Parallel ofCores() {
        return new Parallel(Runtime.getRuntime().availableProcessors());
    }

    /** Threads that run tasks, the caller's included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.accept(i)} for every {@code i} in {@code [0, taskCount)}, in any order and on
     * any of the pool's threads, and waits for all of them. The first exception a task throws is
     * rethrown here (after the tasks already started have finished); remaining tasks are skipped.
     */
    public void forEach(int taskCount, IntConsumer task) {
        if (taskCount < 0) throw new IllegalArgumentException("negative task count " + taskCount);
        if (taskCount == 0) return;
        if (taskCount == 1 || workers.length == 0 || isOwnWorker()) {
            for (int i = 0; i < taskCount; i++) task.accept(i);
            return;
        }
        Job job = new Job(taskCount, task, Thread.currentThread());
        int helpers = Math.min(threads - 1, taskCount - 1);
        for (int h = 0; h < helpers; h++) queue.add(job::work);
        job.work();
        job.awaitCompletion();
    }

    /** Number of chunks of at most {@code grain} items that cover {@code total} items (at least 1). */
    public static int chunkCount(long total, long grain) {
        if (grain <= 0) throw new IllegalArgumentException("chunk grain must be positive, got " + grain);
        long chunks = Math.max(1, (total + grain - 1) / grain);
        if (chunks > Integer.MAX_VALUE) throw new IllegalArgumentException(total + " items in chunks of " + grain + " exceed the task limit");
        return (int) chunks;
    }

    private boolean isOwnWorker() {
        return Thread.currentThread() instanceof Worker w && w.owner == this;
    }

    /** Stops the pool's threads; tasks already running finish first. */
    @Override
    public void close() {
        for (Worker ignored : workers) queue.add(STOP);
        try {
            for (Worker worker : workers) {
                worker.join(TimeUnit.MINUTES.toMillis(1));
                if (worker.isAlive()) worker.interrupt();
            }
        } catch (InterruptedException e) {
            for (Worker worker : workers) worker.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Parallel(" + threads + " threads)";
    }

    /** One {@link #forEach} call: tasks are claimed from a shared counter until none are left. */
    private static final class Job {
        private final int taskCount;
        private final IntConsumer task;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private volatile Throwable failure;

        Job(int taskCount, IntConsumer task, Thread caller) {
            this.taskCount = taskCount;
            this.task = task;
            this.caller = caller;
        }

        void work() {
            for (int i; (i = next.getAndIncrement()) < taskCount; ) {
                try {
                    if (failure == null) task.accept(i);
                } catch (Throwable t) {
                    synchronized (this) {
                        if (failure == null) failure = t;
                    }
                } finally {
                    if (finished.incrementAndGet() == taskCount) LockSupport.unpark(caller);
                }
            }
        }

        void awaitCompletion() {
            for (long deadline = System.nanoTime() + SPIN_NANOS; finished.get() < taskCount && System.nanoTime() < deadline; )
                Thread.onSpinWait();
            while (finished.get() < taskCount) LockSupport.park(this);
            Throwable t = failure;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException("parallel task failed", t);
        }
    }

    /** A pool thread: runs queued jobs, spinning a little before it parks on an empty queue. */
    private static final class Worker extends Thread {
        final Parallel owner;

        Worker(Parallel owner, String name) {
            super(name);
            this.owner = owner;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                for (Runnable next; (next = nextJob()) != STOP; ) next.run();
            } catch (InterruptedException e) {
                // close() gave up waiting: stop.
            }
        }

        private Runnable nextJob() throws InterruptedException {
            Runnable next = owner.queue.poll();
            for (long deadline = System.nanoTime() + SPIN_NANOS; next == null && System.nanoTime() < deadline; next = owner.queue.poll())
                Thread.onSpinWait();
            return next != null ? next : owner.queue.take();
        }
    }
}
