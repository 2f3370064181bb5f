package io.llmc4j.engine.testing;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict, minimal {@code .npy} v1.0 reader for tests (an oracle independent of the writer): checks
 * the magic, the version, the 64-byte alignment and the header dictionary, and returns the array as
 * a heap tensor.
 */
public final class NpyFiles {
    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '([<|][a-z]\\d)', 'fortran_order': False, 'shape': \\(((?:\\d+, )*\\d*,?)\\), \\} *\n");
    private static final Map<String, DType> DTYPES = Map.of("<f4", DType.F32, "<f8", DType.F64, "<f2", DType.F16, "<i8", DType.I64,
            "<i4", DType.I32, "<i2", DType.I16, "|i1", DType.I8, "|u1", DType.U8, "|b1", DType.BOOL);

    private NpyFiles() {
    }

    public static Tensor read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 10 || (bytes[0] & 0xFF) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY"))
            throw new IOException(file + ": not an npy file");
        if (bytes[6] != 1 || bytes[7] != 0) throw new IOException(file + ": version " + bytes[6] + "." + bytes[7] + ", expected 1.0");
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        if ((10 + headerLength) % 64 != 0) throw new IOException(file + ": data starts at " + (10 + headerLength) + ", not 64-aligned");
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) throw new IOException(file + ": unexpected header " + header);
        DType dtype = DTYPES.get(m.group(1));
        long[] dims = Arrays.stream(m.group(2).split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        Tensor t = Tensor.allocate(dtype, dims);
        long data = bytes.length - 10L - headerLength;
        if (data != t.byteSize()) throw new IOException(file + ": " + data + " data bytes, expected " + t.byteSize());
        MemorySegment.copy(bytes, 10 + headerLength, t.segment(), ValueLayout.JAVA_BYTE, 0, (int) data);
        return t;
    }
}
