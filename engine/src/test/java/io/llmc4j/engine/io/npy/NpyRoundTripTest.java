package io.llmc4j.engine.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NpyRoundTripTest {
    @TempDir
    Path dir;

    /** BF16 and FP8 have no NumPy dtype: the writer refuses them (the goldens store their bits as u2/u1). */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BF16", "F8_E4M3", "F8_E5M2"}, mode = EnumSource.Mode.EXCLUDE)
    void everyNumpyDTypeRoundTripsBitForBit(DType dtype) {
        long seed = 1234 + dtype.ordinal();
        Random random = new Random(seed);
        for (long[] dims : new long[][] {{}, {1}, {3}, {7, 31}, {2, 3, 33}, {0, 5}}) {
            Tensor t = Tensor.allocate(dtype, dims);
            byte[] raw = new byte[(int) t.byteSize()];
            random.nextBytes(raw);
            if (dtype == DType.BOOL) for (int i = 0; i < raw.length; i++) raw[i] &= 1;
            java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(raw), 0, t.segment(), 0, raw.length);
            Path file = dir.resolve(dtype + "_" + dims.length + ".npy");
            NpyWriter.write(file, t);
            Tensor back = NpyReader.reinterpret(NpyReader.read(file), dtype);
            assertEquals(t.shape(), back.shape(), "seed " + seed);
            assertArrayEquals(raw, back.segment().asSlice(back.byteOffset(), back.byteSize()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    () -> dtype + " " + Shape.of(dims) + " seed " + seed);
        }
    }

    @Test
    void headerIsPaddedToSixtyFourBytesAndReadableAsText() throws IOException {
        Path file = dir.resolve("a.npy");
        NpyWriter.write(file, Tensor.of(new float[] {1f, -2f, 3.5f}, 3));
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header);
        assertTrue(header.endsWith("\n"));
        assertArrayEquals(new float[] {1f, -2f, 3.5f}, NpyReader.read(file).toFloatArray());
    }

    @Test
    void readsVersionTwoHeaders() {
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
        int pad = (64 - (12 + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] image = new byte[12 + header.length + 8];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0};
        System.arraycopy(magic, 0, image, 0, 8);
        image[8] = (byte) header.length;
        image[9] = (byte) (header.length >> 8);
        System.arraycopy(header, 0, image, 12, header.length);
        int at = 12 + header.length;
        image[at] = 7;
        image[at + 4] = (byte) 0xFF;
        image[at + 5] = (byte) 0xFF;
        image[at + 6] = (byte) 0xFF;
        image[at + 7] = (byte) 0xFF;
        Tensor t = NpyReader.read(image, "v2.npy");
        assertEquals(DType.I32, t.dtype());
        assertArrayEquals(new long[] {7, -1}, t.toLongArray());
    }

    @Test
    void npzKeysDropTheSuffixAndErrorsNameArchiveAndKey() throws IOException {
        Path file = dir.resolve("x.npz");
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("case/a.npy"));
            zip.write(NpyWriter.toBytes(a));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("case/bad.npy"));
            zip.write(withDescr("'>f4'"));
            zip.closeEntry();
        }
        try (NpzReader npz = NpzReader.open(file)) {
            assertEquals(java.util.List.of("case/a", "case/bad"), java.util.List.copyOf(npz.keys()));
            assertArrayEquals(new float[] {1, 2, 3, 4}, npz.get("case/a").toFloatArray());
            NpyException missing = assertThrows(NpyException.class, () -> npz.get("case/zzz"));
            assertTrue(missing.getMessage().contains("x.npz[case/zzz]"), missing.getMessage());
            NpyException bad = assertThrows(NpyException.class, () -> npz.get("case/bad"));
            assertTrue(bad.getMessage().contains("x.npz[case/bad]") && bad.getMessage().contains(">f4")
                    && bad.getMessage().contains("<f4"), bad.getMessage());
        }
    }

    @Test
    void headerErrorsSayWhatWasExpected() {
        NpyException fortran = assertThrows(NpyException.class,
                () -> NpyReader.read(image("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", 4), "f.npy"));
        assertTrue(fortran.getMessage().startsWith("f.npy: fortran_order True"), fortran.getMessage());
        NpyException shortData = assertThrows(NpyException.class,
                () -> NpyReader.read(image("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 4), "s.npy"));
        assertTrue(shortData.getMessage().contains("needs 12 data bytes, the file holds 4"), shortData.getMessage());
        NpyException noShape = assertThrows(NpyException.class,
                () -> NpyReader.read(image("{'descr': '<f4', 'fortran_order': False, }", 4), "n.npy"));
        assertTrue(noShape.getMessage().contains("no 'shape' entry"), noShape.getMessage());
        NpyException magic = assertThrows(NpyException.class, () -> NpyReader.read(new byte[16], "m.npy"));
        assertTrue(magic.getMessage().contains("magic"), magic.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NpyReader.reinterpret(Tensor.allocate(DType.F32, 2), DType.BF16));
    }

    @Test
    void bf16BitsAreReinterpreted() {
        Tensor bits = Tensor.allocate(DType.I16, 2);
        bits.setLong(0x3F80, 0);
        bits.setLong((short) 0xC040, 1);
        Tensor bf16 = NpyReader.reinterpret(NpyReader.read(NpyWriter.toBytes(bits), "b"), DType.BF16);
        assertArrayEquals(new float[] {1f, -3f}, bf16.toFloatArray());
    }

    private static byte[] withDescr(String descr) {
        return image("{'descr': " + descr + ", 'fortran_order': False, 'shape': (1,), }", 4);
    }

    private static byte[] image(String dict, int dataBytes) {
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + header.length + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
        System.arraycopy(magic, 0, out, 0, 8);
        out[8] = (byte) header.length;
        out[9] = (byte) (header.length >> 8);
        System.arraycopy(header, 0, out, 10, header.length);
        return out;
    }
}
