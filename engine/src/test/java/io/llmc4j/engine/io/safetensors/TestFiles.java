package io.llmc4j.engine.io.safetensors;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Builds safetensors bytes by hand and compares tensors byte for byte. */
final class TestFiles {
    private TestFiles() {
    }

    /** [u64 LE length of header][header as UTF-8, unpadded][data]. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return withLength(h.length, concat(h, data));
    }

    /** [u64 LE declaredLength][rest]. */
    static byte[] withLength(long declaredLength, byte[] rest) {
        return concat(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredLength).array(), rest);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File names in {@code dir}, sorted. */
    static List<String> listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** The tensor's elements in row-major order, as raw little-endian bytes. */
    static byte[] bytesOf(Tensor tensor) {
        Tensor t = tensor.contiguous();
        byte[] out = new byte[Math.toIntExact(t.byteSize())];
        MemorySegment.copy(t.segment(), ValueLayout.JAVA_BYTE, t.byteOffset(), out, 0, out.length);
        return out;
    }

    /** A heap tensor of {@code dtype} and {@code dims} filled with random bit patterns (NaNs included). */
    static Tensor randomTensor(DType dtype, long[] dims, Random random) {
        Tensor t = Tensor.allocate(dtype, dims);
        byte[] bytes = new byte[Math.toIntExact(t.byteSize())];
        random.nextBytes(bytes);
        if (dtype == DType.BOOL) for (int i = 0; i < bytes.length; i++) bytes[i] &= 1;
        MemorySegment.copy(bytes, 0, t.segment(), ValueLayout.JAVA_BYTE, 0, bytes.length);
        return t;
    }
}
