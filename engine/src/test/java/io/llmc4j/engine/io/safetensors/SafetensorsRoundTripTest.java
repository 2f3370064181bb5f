package io.llmc4j.engine.io.safetensors;

import static io.llmc4j.engine.io.safetensors.TestFiles.bytesOf;
import static io.llmc4j.engine.io.safetensors.TestFiles.randomTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeRoundTripsBitExactlyIncludingScalarsAndEmptyTensors(DType dtype) {
        long seed = 1234 + dtype.ordinal();
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("scalar", randomTensor(dtype, new long[0], random));
        tensors.put("empty", randomTensor(dtype, new long[] {3, 0, 2}, random));
        tensors.put("vector", randomTensor(dtype, new long[] {33}, random));
        tensors.put("matrix", randomTensor(dtype, new long[] {7, 31}, random));
        tensors.put("cube", randomTensor(dtype, new long[] {3, 1, 257}, random));
        Path file = dir.resolve("all.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(tensors.keySet(), read.names());
            assertEquals(Map.of("format", "pt"), read.metadata());
            for (var entry : tensors.entrySet()) {
                Tensor back = read.get(entry.getKey());
                assertEquals(dtype, back.dtype(), entry.getKey());
                assertEquals(entry.getValue().shape(), back.shape(), entry.getKey());
                assertArrayEquals(bytesOf(entry.getValue()), bytesOf(back), entry.getKey() + " " + dtype + " seed " + seed);
            }
            assertEquals(Shape.of(), read.info("scalar").shape());
            assertEquals(0, read.info("empty").byteSize());
        }
    }

    @Test
    void valuesSurviveForEachFloatFormat() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (DType d : List.of(DType.F64, DType.F32, DType.F16, DType.BF16, DType.F8_E4M3, DType.F8_E5M2)) {
            Tensor t = Tensor.allocate(d, 4);
            float[] values = {1.5f, -2f, 0.25f, 0f};
            for (int i = 0; i < values.length; i++) t.setFlat(i, values[i]);
            tensors.put(d.name(), t);
        }
        Tensor ints = Tensor.ofLongs(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 4);
        tensors.put("ints", ints);
        Path file = dir.resolve("values.safetensors");
        SafetensorsWriter.write(file, tensors, null);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            for (DType d : List.of(DType.F64, DType.F32, DType.F16, DType.BF16, DType.F8_E4M3, DType.F8_E5M2))
                assertArrayEquals(new float[] {1.5f, -2f, 0.25f, 0f}, read.get(d.name()).toFloatArray(), d.name());
            assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, read.get("ints").toLongArray());
            assertTrue(read.metadata().isEmpty());
        }
    }

    @Test
    void stridedViewsAreWrittenInRowMajorOrder() {
        Random random = new Random(7);
        Tensor base = randomTensor(DType.F32, new long[] {5, 7, 3}, random);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("transposed", base.transpose(0, 2));                  // last axis strided
        tensors.put("narrowed", base.narrow(1, 2, 4));                      // rows contiguous, gaps between
        tensors.put("selected", base.select(2, 1));                         // stride 3 on the last axis
        tensors.put("bf16_t", randomTensor(DType.BF16, new long[] {33, 4}, random).transpose(0, 1));
        tensors.put("i8_t", randomTensor(DType.I8, new long[] {3, 31}, random).transpose(0, 1));
        tensors.put("f64_t", randomTensor(DType.F64, new long[] {2, 3}, random).transpose(0, 1));
        Path file = dir.resolve("strided.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of());
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            for (var entry : tensors.entrySet()) {
                assertFalse(entry.getValue().isContiguous(), entry.getKey());
                Tensor back = read.get(entry.getKey());
                assertEquals(entry.getValue().shape(), back.shape());
                assertArrayEquals(bytesOf(entry.getValue().copy()), bytesOf(back), entry.getKey());
            }
        }
    }

    @Test
    void arenaBackedAndMappedTensorsCanBeWrittenAgain() {
        Path first = dir.resolve("first.safetensors");
        Path second = dir.resolve("second.safetensors");
        try (Arena arena = Arena.ofConfined()) {
            Tensor offHeap = randomTensor(DType.F16, new long[] {3, 5}, new Random(3)).copyInto(arena);
            SafetensorsWriter.write(first, Map.of("w", offHeap), Map.of("k", "v"));
        }
        try (SafetensorsFile read = SafetensorsFile.open(first)) {
            SafetensorsWriter.write(second, Map.of("w", read.get("w")), read.metadata());
        }
        assertArrayEquals(TestFiles.read(first), TestFiles.read(second));
    }

    /** Byte vectors from huggingface/safetensors' own serializer tests (safetensors/src/tensor.rs, test_serialization). */
    @Test
    void writesTheSameBytesAsTheReferenceSerializer() {
        Path file = dir.resolve("ref.safetensors");
        SafetensorsWriter.write(file, Map.of("attn.0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), Map.of());
        byte[] expected = TestFiles.file("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}",
                TestFiles.f32(0, 1, 2, 3, 4, 5));
        assertEquals(64 + 8 + 24, expected.length);
        assertArrayEquals(expected, TestFiles.read(file));
    }

    /** huggingface/safetensors test_serialization_forced_alignement: header padded with 7 spaces to 72 bytes. */
    @Test
    void padsTheHeaderWithSpacesToAMultipleOfEight() {
        Path file = dir.resolve("aligned.safetensors");
        SafetensorsWriter.write(file, Map.of("attn0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3)), null);
        byte[] expected = TestFiles.file("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ",
                TestFiles.f32(0, 1, 2, 3, 4, 5));
        assertArrayEquals(expected, TestFiles.read(file));
        assertEquals(72, TestFiles.read(file)[0]);
    }

    /** huggingface/safetensors test_empty: no tensors, with and without metadata. */
    @Test
    void writesEmptyFilesAsTheReferenceDoes() {
        Path none = dir.resolve("none.safetensors");
        SafetensorsWriter.write(none, Map.of(), Map.of());
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32}, TestFiles.read(none));
        Path meta = dir.resolve("meta.safetensors");
        SafetensorsWriter.write(meta, Map.of(), Map.of("framework", "pt"));
        assertArrayEquals(TestFiles.file("{\"__metadata__\":{\"framework\":\"pt\"}}     ", new byte[0]), TestFiles.read(meta));
        try (SafetensorsFile read = SafetensorsFile.open(meta)) {
            assertTrue(read.names().isEmpty());
            assertEquals(Map.of("framework", "pt"), read.metadata());
        }
    }

    @Test
    void ordersTensorsByDescendingAlignmentThenNameAsTheReferenceDoes() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (DType d : DType.values()) tensors.put("t_" + d.name().toLowerCase(), Tensor.allocate(d, 1));
        tensors.put("a_f32", Tensor.allocate(DType.F32, 1));
        tensors.put("z_f32", Tensor.allocate(DType.F32, 1));
        Path file = dir.resolve("order.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of());
        List<String> expected = List.of("t_i64", "t_f64", "a_f32", "t_f32", "z_f32", "t_i32", "t_bf16", "t_f16", "t_i16",
                "t_f8_e4m3", "t_f8_e5m2", "t_i8", "t_u8", "t_bool");
        SafetensorsHeader header = SafetensorsHeader.read(file);
        assertEquals(expected, header.tensors().stream().map(TensorInfo::name).toList());
        String json = new String(TestFiles.read(file), 8, (int) header.headerByteSize(), StandardCharsets.UTF_8);
        int previous = -1;
        for (String name : expected) {
            int at = json.indexOf("\"" + name + "\"");
            assertTrue(at > previous, () -> name + " out of order in " + json);
            previous = at;
        }
        assertEquals(0, header.dataStart() % 8);
    }

    @Test
    void namesSortByCodePointLikeRustAndPython() {
        String bmp = "\uFFFF";            // U+FFFF
        String astral = "\uD83D\uDE00";   // U+1F600: after U+FFFF by code point, before it by UTF-16 unit
        assertTrue(CodePointOrder.INSTANCE.compare(bmp, astral) < 0);
        assertTrue(bmp.compareTo(astral) > 0);
        assertTrue(CodePointOrder.INSTANCE.compare("a", "ab") < 0);
        assertEquals(0, CodePointOrder.INSTANCE.compare("x.y", "x.y"));
    }

    @Test
    void rejectsSymbolicTensorsAndTheReservedName() {
        Path file = dir.resolve("bad.safetensors");
        var symbolic = assertThrows(SafetensorsException.class, () -> SafetensorsWriter.write(file,
                Map.of("ghost", Tensor.symbolic(DType.F32, Shape.of(2), "tag")), Map.of()));
        assertTrue(symbolic.getMessage().contains("ghost") && symbolic.getMessage().contains("symbolic"), symbolic.getMessage());
        var reserved = assertThrows(SafetensorsException.class, () -> SafetensorsWriter.write(file,
                Map.of("__metadata__", Tensor.of(1f)), Map.of()));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
        assertEquals(List.of(), TestFiles.listing(dir));
    }

    @Test
    void viewsAreReadOnlyAndSharedWithTheMapping() {
        Path file = dir.resolve("ro.safetensors");
        SafetensorsWriter.write(file, Map.of("w", Tensor.of(1f, 2f, 3f)), Map.of());
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            Tensor w = read.get("w");
            assertTrue(w.segment().isReadOnly());
            assertThrows(RuntimeException.class, () -> w.setFloat(9f, 0));
            assertTrue(w.segment().isMapped());
            assertEquals(Arrays.toString(new float[] {1, 2, 3}), Arrays.toString(w.toFloatArray()));
        }
    }
}
