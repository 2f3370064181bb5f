package io.llmc4j.engine.io.npy;

import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a {@link Tensor} as a NumPy {@code .npy} file (format 1.0, or 2.0 when the header needs more
 * than 65535 bytes), C order, little-endian. The dtype maps as {@link NpyFormat#forDType} says: BF16 is
 * written as {@code <u2} bit patterns and FP8 as {@code |u1} codes, since NumPy has no such types.
 *
 * <p>The file is written to a temporary file beside the target, forced to disk and moved into place
 * atomically, so readers never see a partial file. Stateless and thread-safe.
 */
public final class NpyWriter {
    private NpyWriter() {
    }

    /** Writes {@code tensor} to {@code file}, replacing it if present. */
    public static void write(Path file, Tensor tensor) {
        byte[] image = toBytes(tensor);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(image);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write npy file " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the original error is more useful
                }
            }
        }
    }

    /** The complete npy image of {@code tensor} (header and data). */
    public static byte[] toBytes(Tensor tensor) {
        Tensor data = tensor.contiguous();
        NpyFormat format = NpyFormat.forDType(data.dtype());
        String dict = "{'descr': '" + format.descr() + "', 'fortran_order': False, 'shape': " + shapeTuple(data) + ", }";
        byte[] header = padded(dict, 10);
        int major = 1;
        if (header.length > 0xFFFF) {
            header = padded(dict, 12);
            major = 2;
        }
        int prefix = major == 1 ? 10 : 12;
        long dataBytes = data.byteSize();
        long total = prefix + (long) header.length + dataBytes;
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor " + tensor + " is too large for an in-memory npy image");
        byte[] out = new byte[(int) total];
        ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(NpyHeader.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) buf.putShort((short) header.length);
        else buf.putInt(header.length);
        buf.put(header);
        MemorySegment.copy(data.segment(), data.byteOffset(), MemorySegment.ofArray(out), prefix + header.length, dataBytes);
        return out;
    }

    private static String shapeTuple(Tensor t) {
        long[] dims = t.shape().toArray();
        if (dims.length == 0) return "()";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i]);
        }
        if (dims.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    /** The dict padded with spaces and a final newline so that the data starts at a multiple of 64 bytes. */
    private static byte[] padded(String dict, int prefix) {
        int unpadded = prefix + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        return (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
