package io.llmc4j.engine.io.npy;

import io.llmc4j.engine.io.TemporaryFiles;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes NumPy {@code .npy} files, format version 1.0, byte for byte as {@code numpy.save} (NumPy ≥
 * 1.24) writes a C-ordered little-endian array:
 * <pre>
 *   "\x93NUMPY" 0x01 0x00  [u16 LE header length]
 *   "{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }" + growth spaces + padding spaces + "\n"
 *   data: elements in row-major order, little-endian
 * </pre>
 * The header is padded so the data starts at a multiple of 64 bytes, after 21 − digits(shape[0])
 * spare spaces ({@code GROWTH_AXIS_MAX_DIGITS}). Dtypes: F64, F32, F16, I64, I32, I16, I8, U8, BOOL;
 * BF16 and FP8 have no NumPy dtype and are refused (convert to F32 first).
 *
 * <p>Streaming and atomic: {@link #create} opens a temporary file beside the target, {@link #append}
 * adds elements in row-major order through a small staging buffer, and {@link #commit} checks the
 * element count, forces the file to disk and renames it over the target. {@link #close()} without a
 * commit deletes the temporary file, so a failed write leaves the target as it was. One instance is
 * confined to one thread.
 */
public final class NpyWriter implements AutoCloseable {
    private static final int ALIGNMENT = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int STAGING_BYTES = 1 << 20;

    private final Path target;
    private final Path temporary;
    private final DType dtype;
    private final Shape shape;
    private final FileChannel channel;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment staging;
    private long elementsWritten;
    private boolean finished;

    private NpyWriter(Path target, Path temporary, DType dtype, Shape shape, FileChannel channel) {
        this.target = target;
        this.temporary = temporary;
        this.dtype = dtype;
        this.shape = shape;
        this.channel = channel;
        this.staging = arena.allocate(STAGING_BYTES, 64);
    }

    /** Writes {@code tensor} (any layout) to {@code target} atomically. */
    public static void write(Path target, Tensor tensor) {
        try (NpyWriter writer = create(target, tensor.dtype(), tensor.shape().toArray())) {
            writer.append(tensor);
            writer.commit();
        }
    }

    /** The whole .npy image of {@code tensor} in memory (small arrays, e.g. members of an .npz). */
    public static byte[] toBytes(Tensor tensor) {
        byte[] header = header(descr(Path.of("<memory>"), tensor.dtype()), tensor.shape());
        Tensor contiguous = tensor.contiguous();
        byte[] out = new byte[Math.toIntExact(header.length + contiguous.byteSize())];
        System.arraycopy(header, 0, out, 0, header.length);
        MemorySegment.copy(contiguous.segment(), contiguous.byteOffset(), MemorySegment.ofArray(out), header.length, contiguous.byteSize());
        return out;
    }

    /**
     * Starts writing an array of {@code dtype} and {@code shape} to {@code target}, whose directory
     * must exist; the header is written at once, the data by {@link #append}.
     *
     * @throws IllegalArgumentException for a dtype NumPy cannot hold
     * @throws UncheckedIOException     naming the target when the temporary file cannot be created
     */
    public static NpyWriter create(Path target, DType dtype, long... shape) {
        String descr = descr(target, dtype);
        Shape s = Shape.of(shape);
        byte[] header = header(descr, s);
        Path directory = target.toAbsolutePath().getParent();
        Path temporary;
        try {
            temporary = TemporaryFiles.createFileBeside(target);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot create a temporary file in " + directory + ": " + e, e);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            ByteBuffer buffer = ByteBuffer.wrap(header);
            while (buffer.hasRemaining()) channel.write(buffer);
            return new NpyWriter(target, temporary, dtype, s, channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            deleteQuietly(temporary, e);
            if (e instanceof IOException io) throw new UncheckedIOException(target + ": cannot write " + temporary.getFileName() + ": " + e, io);
            throw (RuntimeException) e;
        }
    }

    /**
     * Appends {@code part}'s elements in row-major order (e.g. one batch of rows along axis 0).
     *
     * @throws IllegalArgumentException when the dtype differs or the array would overflow its shape
     */
    public void append(Tensor part) {
        if (finished) throw new IllegalStateException(target + ": the writer is already committed or closed");
        if (part.dtype() != dtype)
            throw new IllegalArgumentException(target + ": cannot append " + part.dtype() + " data to a " + dtype + " array");
        if (part.elementCount() > shape.elementCount() - elementsWritten)
            throw new IllegalArgumentException(target + ": appending " + part.elementCount() + " elements after " + elementsWritten
                    + " overflows shape " + shape);
        Tensor contiguous = part.contiguous();
        MemorySegment source = contiguous.segment();
        long offset = contiguous.byteOffset();
        long remaining = contiguous.byteSize();
        try {
            while (remaining > 0) {
                int n = (int) Math.min(remaining, staging.byteSize());
                MemorySegment.copy(source, offset, staging, 0, n);
                ByteBuffer buffer = staging.asSlice(0, n).asByteBuffer();
                while (buffer.hasRemaining()) channel.write(buffer);
                offset += n;
                remaining -= n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot write " + temporary.getFileName() + ": " + e, e);
        }
        elementsWritten += part.elementCount();
    }

    /** Checks that every element was written, forces the file to disk and moves it over the target. */
    public void commit() {
        if (finished) throw new IllegalStateException(target + ": the writer is already committed or closed");
        if (elementsWritten != shape.elementCount())
            throw new IllegalStateException(target + ": wrote " + elementsWritten + " of the " + shape.elementCount() + " elements of shape " + shape);
        try {
            channel.force(true);
            channel.close();
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new UncheckedIOException(target + ": the file system cannot rename " + temporary.getFileName() + " onto it atomically", e);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot move " + temporary.getFileName() + " into place: " + e, e);
        } finally {
            finished = true;
            close();
        }
    }

    /** Releases the file and the staging memory; without a {@link #commit()}, deletes the temporary file. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
        try {
            channel.close();
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            throw new UncheckedIOException(temporary + ": cannot delete the temporary file: " + e, e);
        } finally {
            finished = true;
        }
    }

    /** The header bytes numpy.save writes for an array of {@code descr} and {@code shape}: magic through the newline. */
    static byte[] header(String descr, Shape shape) {
        long[] dims = shape.toArray();
        String shapeText = dims.length == 1 ? "(" + dims[0] + ",)"
                : Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
        StringBuilder dict = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }");
        if (dims.length > 0) dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(dims[0]).length())));
        int unpadded = 10 + dict.length() + 1;
        int padding = ALIGNMENT - unpadded % ALIGNMENT;
        dict.append(" ".repeat(padding)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        if (text.length > 0xFFFF) throw new IllegalArgumentException("npy header of " + text.length + " bytes exceeds version 1.0's 65535");
        ByteBuffer out = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return out.array();
    }

    /** NumPy's type string for {@code dtype}. */
    static String descr(Path target, DType dtype) {
        return switch (dtype) {
            case F64 -> "<f8";
            case F32 -> "<f4";
            case F16 -> "<f2";
            case I64 -> "<i8";
            case I32 -> "<i4";
            case I16 -> "<i2";
            case I8 -> "|i1";
            case U8 -> "|u1";
            case BOOL -> "|b1";
            case BF16, F8_E4M3, F8_E5M2 -> throw new IllegalArgumentException(target + ": NumPy has no " + dtype
                    + " dtype; convert the tensor to F32 before writing it as .npy");
        };
    }

    private static void closeQuietly(FileChannel channel, Exception failure) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static void deleteQuietly(Path file, Exception failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
