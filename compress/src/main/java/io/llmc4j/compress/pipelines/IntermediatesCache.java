package io.llmc4j.compress.pipelines;

import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Activations between subgraphs, per calibration batch and name (LLM Compressor's
 * {@code IntermediatesCache}). Built from the batches, then, for each subgraph, read
 * ({@link #fetch}), extended with the subgraph's outputs ({@link #update}) and emptied of names no
 * later subgraph reads ({@link #delete}).
 *
 * <p>Where values live ({@link Offload}):
 * <ul>
 *   <li>{@code NONE}: the tensors given, on the Java heap, no copy;</li>
 *   <li>{@code OFF_HEAP}: a contiguous copy per value in its own {@code Arena.ofShared()}, freed
 *       when the value is deleted or replaced;</li>
 *   <li>{@code DISK}: one file per value in a fresh temporary directory, mapped read-only; the
 *       file is deleted with the value, and the directory when the cache is closed (the pipeline
 *       closes it when the run fails, too).</li>
 * </ul>
 * Fetched tensors are views of the stored value (no copy) and stay valid until that value is
 * deleted or replaced or the cache is closed; {@link #update} copies before it replaces, so an
 * output may be a view of an input. {@link #forEachBatch} can page in the next batch's files on a
 * background thread while the current one runs.
 *
 * <p>{@link #bytesResident()} counts bytes held in process memory (NONE and OFF_HEAP values);
 * {@link #bytesOffloaded()} counts bytes in disk files (DISK values).
 *
 * <p>Thread-safety: one thread reads and writes; the prefetch thread only pages in mapped files.
 */
public final class IntermediatesCache implements AutoCloseable {

    /** Where cached values live. */
    public enum Offload { NONE, OFF_HEAP, DISK }

    /**
     * @param offload   where values live
     * @param directory for DISK: where the cache makes its temporary directory (null: the system
     *                  temporary folder); unused otherwise
     * @param prefetch  page in the next batch in the background during {@link #forEachBatch} (DISK)
     */
    public record Options(Offload offload, Path directory, boolean prefetch) {
        public Options {
            Objects.requireNonNull(offload, "offload");
        }

        /** Values kept as given, no prefetch. */
        public static Options inMemory() {
            return new Options(Offload.NONE, null, false);
        }
    }

    /** Receives one batch's fetched values. */
    @FunctionalInterface
    public interface BatchVisitor {
        void visit(int batch, Map<String, Tensor> values);
    }

    private final Options options;
    private final List<Map<String, CachedTensor>> batches;
    private final Path directory;
    private final AtomicLong resident = new AtomicLong();
    private final AtomicLong offloaded = new AtomicLong();
    private final AtomicLong fileCounter = new AtomicLong();
    private ExecutorService prefetcher;
    private volatile boolean closed;

    private IntermediatesCache(int batchCount, Options options) {
        this.options = Objects.requireNonNull(options, "options");
        this.batches = new ArrayList<>(batchCount);
        for (int i = 0; i < batchCount; i++) batches.add(new ConcurrentHashMap<>());
        if (options.offload() == Offload.DISK) {
            try {
                this.directory = options.directory() == null
                        ? Files.createTempDirectory("llmc4j-intermediates-")
                        : Files.createTempDirectory(Files.createDirectories(options.directory()), "llmc4j-intermediates-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for offloaded intermediates in "
                        + (options.directory() == null ? "the system temporary folder" : options.directory()), e);
            }
        } else {
            this.directory = null;
        }
    }

    /** A cache for {@code batchCount} batches holding nothing yet. */
    public static IntermediatesCache empty(int batchCount, Options options) {
        return new IntermediatesCache(batchCount, options);
    }

    /** A cache holding every non-null entry of every batch; closed again if filling it fails. */
    public static IntermediatesCache fromBatches(List<? extends Map<String, Tensor>> batches, Options options) {
        IntermediatesCache cache = new IntermediatesCache(batches.size(), options);
        try {
            for (int b = 0; b < batches.size(); b++) {
                Map<String, Tensor> values = new LinkedHashMap<>();
                for (var e : batches.get(b).entrySet()) if (e.getValue() != null) values.put(e.getKey(), e.getValue());
                cache.update(b, values);
            }
            return cache;
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    public int batchCount() {
        return batches.size();
    }

    public Options options() {
        return options;
    }

    /** The DISK directory, or null for in-memory offload. */
    public Path directory() {
        return directory;
    }

    /** The names batch {@code batch} holds, sorted. */
    public Set<String> names(int batch) {
        return new TreeSet<>(batch(batch).keySet());
    }

    /**
     * The values of {@code names} in batch {@code batch}, in the order of {@code names}.
     *
     * @throws IllegalArgumentException naming the batch, the missing name and what the batch holds
     */
    public Map<String, Tensor> fetch(int batch, Collection<String> names) {
        Map<String, CachedTensor> held = batch(batch);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : names) {
            CachedTensor entry = held.get(name);
            if (entry == null)
                throw new IllegalArgumentException("intermediates of batch " + batch + " hold no '" + name + "'; they hold " + names(batch));
            out.put(name, entry.tensor());
        }
        return out;
    }

    /** Every value of batch {@code batch}. */
    public Map<String, Tensor> fetch(int batch) {
        return fetch(batch, names(batch));
    }

    /** Stores (or replaces) values of batch {@code batch}, offloading them as configured. */
    public void update(int batch, Map<String, Tensor> values) {
        Map<String, CachedTensor> held = batch(batch);
        for (var e : values.entrySet()) {
            Tensor value = e.getValue();
            if (value == null) throw new IllegalArgumentException("intermediate '" + e.getKey() + "' of batch " + batch + " is null");
            if (value.isSymbolic()) throw new IllegalArgumentException("intermediate '" + e.getKey() + "' of batch " + batch + " is symbolic: " + value);
            CachedTensor entry = store(batch, value);
            account(entry, 1);
            CachedTensor old = held.put(e.getKey(), entry);
            if (old != null) release(old);
        }
    }

    /**
     * Deletes {@code names} from batch {@code batch}, freeing their memory or files.
     *
     * @throws IllegalArgumentException when a name is not held
     */
    public void delete(int batch, Collection<String> names) {
        Map<String, CachedTensor> held = batch(batch);
        for (String name : names) {
            CachedTensor old = held.remove(name);
            if (old == null)
                throw new IllegalArgumentException("cannot delete '" + name + "' from the intermediates of batch " + batch + "; they hold " + names(batch));
            release(old);
        }
    }

    /**
     * Visits every batch in order with the values of {@code names.apply(batch)}. With prefetch on
     * (and DISK offload), the next batch's files are paged in while the visitor runs. The visitor
     * may update and delete entries of the batch it is given.
     */
    public void forEachBatch(IntFunction<? extends Collection<String>> names, BatchVisitor visitor) {
        boolean prefetch = options.prefetch() && options.offload() == Offload.DISK;
        Future<?> pending = null;
        try {
            for (int b = 0; b < batches.size(); b++) {
                awaitPrefetch(pending);
                pending = null;
                Map<String, Tensor> values = fetch(b, names.apply(b));
                if (prefetch && b + 1 < batches.size()) pending = prefetch(b + 1, names.apply(b + 1));
                visitor.visit(b, values);
            }
        } finally {
            if (pending != null) pending.cancel(false);
        }
        awaitPrefetch(pending);
    }

    /** Bytes of cached values held in process memory (heap or native). */
    public long bytesResident() {
        return resident.get();
    }

    /** Bytes of cached values held in disk files. */
    public long bytesOffloaded() {
        return offloaded.get();
    }

    /** Frees every value, stops the prefetch thread and deletes the DISK directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (prefetcher != null) prefetcher.shutdownNow();
        RuntimeException failure = null;
        for (Map<String, CachedTensor> held : batches) {
            for (CachedTensor entry : held.values()) {
                try {
                    release(entry);
                } catch (RuntimeException e) {
                    if (failure == null) failure = e;
                    else failure.addSuppressed(e);
                }
            }
            held.clear();
        }
        if (directory != null) {
            try (Stream<Path> walk = Files.walk(directory)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException e) {
                UncheckedIOException io = new UncheckedIOException("deleting the intermediates directory " + directory + " failed", e);
                if (failure == null) failure = io;
                else failure.addSuppressed(io);
            }
        }
        if (failure != null) throw failure;
    }

    // ---------------------------------------------------------------- internals

    private Map<String, CachedTensor> batch(int batch) {
        if (closed) throw new IllegalStateException("the intermediates cache is closed");
        if (batch < 0 || batch >= batches.size())
            throw new IndexOutOfBoundsException("batch " + batch + " outside the cache's " + batches.size() + " batches");
        return batches.get(batch);
    }

    private CachedTensor store(int batch, Tensor value) {
        if (value.byteSize() == 0) return new CachedTensor.OnHeap(value);
        return switch (options.offload()) {
            case NONE -> new CachedTensor.OnHeap(value);
            case OFF_HEAP -> CachedTensor.OffHeap.copyOf(value);
            case DISK -> CachedTensor.OnDisk.write(directory.resolve("b" + batch + "-" + fileCounter.getAndIncrement() + ".bin"), value);
        };
    }

    private void release(CachedTensor entry) {
        account(entry, -1);
        entry.release();
    }

    private void account(CachedTensor entry, int sign) {
        resident.addAndGet(sign * entry.residentBytes());
        offloaded.addAndGet(sign * entry.offloadedBytes());
    }

    private Future<?> prefetch(int batch, Collection<String> names) {
        if (prefetcher == null) {
            prefetcher = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "llmc4j-intermediates-prefetch");
                t.setDaemon(true);
                return t;
            });
        }
        List<CachedTensor> entries = new ArrayList<>();
        Map<String, CachedTensor> held = batches.get(batch);
        for (String name : names) {
            CachedTensor entry = held.get(name);
            if (entry != null) entries.add(entry);
        }
        return prefetcher.submit(() -> {
            for (CachedTensor entry : entries) {
                try {
                    entry.prefetch();
                } catch (IllegalStateException deletedMeanwhile) {
                    // the visitor deleted this value; nothing left to page in
                }
            }
        });
    }

    private static void awaitPrefetch(Future<?> pending) {
        if (pending == null) return;
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the intermediates prefetch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("prefetching intermediates failed: " + e.getCause(), e.getCause());
        }
    }
}
