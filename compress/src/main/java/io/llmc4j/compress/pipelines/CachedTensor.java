package io.llmc4j.compress.pipelines;

import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One value held by an {@link IntermediatesCache}, in one of the three offload forms. */
sealed interface CachedTensor {
    /** The value; valid until {@link #release()}. */
    Tensor tensor();

    /** Bytes this entry keeps in process memory (Java heap or native). */
    long residentBytes();

    /** Bytes this entry keeps in a disk file. */
    long offloadedBytes();

    /** Pages a mapped file in ahead of use; no-op for in-memory entries. */
    default void prefetch() {
    }

    /** Frees the memory or file; the tensor must not be used afterwards. */
    default void release() {
    }

    /** The caller's tensor itself (no copy). */
    record OnHeap(Tensor tensor) implements CachedTensor {
        @Override
        public long residentBytes() {
            return tensor.byteSize();
        }

        @Override
        public long offloadedBytes() {
            return 0;
        }
    }

    /** A contiguous copy in its own shared arena, closed on release. */
    record OffHeap(Arena arena, Tensor tensor) implements CachedTensor {
        static OffHeap copyOf(Tensor value) {
            Arena arena = Arena.ofShared();
            try {
                return new OffHeap(arena, value.copyInto(arena));
            } catch (RuntimeException e) {
                arena.close();
                throw e;
            }
        }

        @Override
        public long residentBytes() {
            return tensor.byteSize();
        }

        @Override
        public long offloadedBytes() {
            return 0;
        }

        @Override
        public void release() {
            arena.close();
        }
    }

    /** A file holding the raw little-endian elements, mapped read-only in its own arena. */
    record OnDisk(Path file, Arena arena, Tensor tensor) implements CachedTensor {
        static OnDisk write(Path file, Tensor value) {
            long bytes = value.byteSize();
            long[] dims = value.shape().toArray();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 Arena writing = Arena.ofConfined()) {
                MemorySegment target = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, writing);
                value.copyTo(Tensor.wrap(target, value.dtype(), dims));
            } catch (IOException e) {
                deleteQuietly(file, e);
                throw new UncheckedIOException("writing intermediate " + value + " to " + file + " failed", e);
            }
            Arena arena = Arena.ofShared();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
                return new OnDisk(file, arena, Tensor.wrap(mapped, value.dtype(), dims));
            } catch (IOException | RuntimeException e) {
                arena.close();
                deleteQuietly(file, e);
                if (e instanceof IOException io) throw new UncheckedIOException("mapping intermediate file " + file + " failed", io);
                throw (RuntimeException) e;
            }
        }

        @Override
        public long residentBytes() {
            return 0;
        }

        @Override
        public long offloadedBytes() {
            return tensor.byteSize();
        }

        @Override
        public void prefetch() {
            tensor.segment().load();
        }

        @Override
        public void release() {
            arena.close();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("deleting intermediate file " + file + " failed", e);
            }
        }

        private static void deleteQuietly(Path file, Exception primary) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                primary.addSuppressed(e);
            }
        }
    }
}
