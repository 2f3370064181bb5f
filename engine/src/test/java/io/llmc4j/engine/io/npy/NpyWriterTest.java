package io.llmc4j.engine.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.NpyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyWriterTest {
    @TempDir
    Path dir;

    /** Bytes of {@code numpy.save(f, np.arange(6, dtype='<f4').reshape(2, 3))} with NumPy 2.4.6. */
    @Test
    void matchesNumpySaveByteForByte() throws IOException {
        Path file = dir.resolve("a.npy");
        NpyWriter.write(file, Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3));
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + " ".repeat(20 + 38) + "\n";
        byte[] bytes = Files.readAllBytes(file);
        assertEquals("934e554d5059" + "0100" + "7600", HexFormat.of().formatHex(bytes, 0, 10));
        assertEquals(header, new String(bytes, 10, 118, StandardCharsets.US_ASCII));
        assertEquals(128 + 24, bytes.length);
        assertEquals("00000000" + "0000803f", HexFormat.of().formatHex(bytes, 128, 136));
    }

    @Test
    void headersOfOneAndZeroDimensionalArraysFollowPythonTupleSyntax() {
        String one = new String(NpyWriter.header("<i8", Shape.of(5)), StandardCharsets.US_ASCII);
        assertTrue(one.contains("'shape': (5,), }" + " ".repeat(20)), one);
        String scalar = new String(NpyWriter.header("<f4", Shape.of(new long[0])), StandardCharsets.US_ASCII);
        assertTrue(scalar.contains("'shape': (), }"), scalar);
        for (long first : new long[] {1, 33, 123456789012L}) assertEquals(0, NpyWriter.header("<f4", Shape.of(first, 7)).length % 64);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 31, 33, 257})
    void streamedRowsReadBackAsTheWholeArray(int rows) throws IOException {
        Random random = new Random(rows);
        float[] values = new float[rows * 5];
        for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian();
        Tensor whole = Tensor.of(values, rows, 5);
        Path file = dir.resolve("rows.npy");
        try (NpyWriter writer = NpyWriter.create(file, DType.F32, rows, 5)) {
            for (int start = 0; start < rows; start += 4) writer.append(whole.narrow(0, start, Math.min(4, rows - start)));
            writer.commit();
        }
        Tensor back = NpyFiles.read(file);
        assertEquals(whole.shape(), back.shape());
        assertArrayEquals(values, back.toFloatArray(), "seed " + rows);
    }

    @Test
    void stridedViewsAreWrittenInRowMajorOrder() throws IOException {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1);
        NpyWriter.write(dir.resolve("t.npy"), t);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, NpyFiles.read(dir.resolve("t.npy")).toFloatArray());
    }

    @Test
    void integerArraysKeepTheirDtype() throws IOException {
        NpyWriter.write(dir.resolve("i.npy"), Tensor.ofLongs(new long[] {-1, 2, 1L << 40}, 3));
        Tensor back = NpyFiles.read(dir.resolve("i.npy"));
        assertEquals(DType.I64, back.dtype());
        assertArrayEquals(new long[] {-1, 2, 1L << 40}, back.toLongArray());
    }

    @Test
    void anUnfinishedWriteLeavesNoFileAndKeepsTheOldTarget() throws IOException {
        Path file = Files.writeString(dir.resolve("old.npy"), "old");
        try (NpyWriter writer = NpyWriter.create(file, DType.F32, 4)) {
            writer.append(Tensor.of(1f, 2f));
            IllegalStateException e = assertThrows(IllegalStateException.class, writer::commit);
            assertTrue(e.getMessage().contains("wrote 2 of the 4 elements"), e.getMessage());
        }
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("old.npy"), listing());
    }

    @Test
    void overflowAndWrongDtypeAreRefused() throws IOException {
        try (NpyWriter writer = NpyWriter.create(dir.resolve("x.npy"), DType.F32, 2)) {
            assertThrows(IllegalArgumentException.class, () -> writer.append(Tensor.of(1f, 2f, 3f)));
            assertThrows(IllegalArgumentException.class, () -> writer.append(Tensor.ofLongs(new long[] {1}, 1)));
        }
        assertEquals(List.of(), listing());
    }

    @Test
    void bf16IsRefusedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyWriter.write(dir.resolve("b.npy"), Tensor.allocate(DType.BF16, 2)));
        assertTrue(e.getMessage().contains("convert the tensor to F32"), e.getMessage());
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
