package io.llmc4j.engine.io.npy;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one NumPy {@code .npy} array (format 1.x/2.x/3.x, C order, little-endian or byte types; see
 * {@link NpyFormat}) into a heap-backed, contiguous {@link Tensor}. The whole file is read into memory,
 * so arrays are limited to 2 GiB; this is meant for test vectors and debugging dumps, not checkpoints.
 *
 * <p>Stateless and thread-safe. The returned tensor is a copy owned by the caller (GC-managed).
 */
public final class NpyReader {
    private NpyReader() {
    }

    /** Reads {@code file}; errors name the file. */
    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read npy file " + file, e);
        }
        return read(bytes, file.toString());
    }

    /** Parses an npy image held in {@code bytes}; {@code source} names it (file, or archive and key) in errors. */
    public static Tensor read(byte[] bytes, String source) {
        NpyHeader header = NpyHeader.parse(bytes, source);
        DType dtype = header.format().dtype();
        long count = header.shape().elementCount();
        long dataBytes = dtype.byteSizeFor(count);
        long available = bytes.length - (long) header.dataOffset();
        if (available != dataBytes)
            throw new NpyException(source, "shape " + header.shape() + " of " + header.format().descr() + " needs "
                    + dataBytes + " data bytes, the file holds " + available);
        Tensor out = Tensor.allocate(dtype, header.shape().toArray());
        MemorySegment.copy(MemorySegment.ofArray(bytes), header.dataOffset(), out.segment(), out.byteOffset(), dataBytes);
        return out;
    }

    /**
     * A view of the contiguous {@code tensor}'s bytes as {@code dtype}, which must have the same element
     * size: e.g. an {@code <u2} array (loaded as {@link DType#I16}) holding bfloat16 bit patterns, read
     * as {@link DType#BF16}, or a {@code |u1} array of FP8 codes read as {@link DType#F8_E4M3}.
     */
    public static Tensor reinterpret(Tensor tensor, DType dtype) {
        if (tensor.dtype() == dtype) return tensor;
        if (tensor.dtype().byteSize() != dtype.byteSize())
            throw new IllegalArgumentException("cannot reinterpret " + tensor.dtype() + " (" + tensor.dtype().byteSize()
                    + " bytes) as " + dtype + " (" + dtype.byteSize() + " bytes)");
        if (!tensor.isContiguous()) throw new IllegalArgumentException("reinterpret needs a contiguous tensor, got " + tensor);
        MemorySegment bytes = tensor.segment().asSlice(tensor.byteOffset(), tensor.byteSize());
        return Tensor.wrap(bytes, dtype, tensor.shape().toArray());
    }
}
