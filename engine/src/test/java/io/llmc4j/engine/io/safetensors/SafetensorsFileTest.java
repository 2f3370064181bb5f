package io.llmc4j.engine.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.SharedFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    /**
     * A file built byte by byte: header in a non-reference order (BF16 tensor before the I32 one,
     * metadata last, padded with spaces), data hand-encoded little-endian.
     */
    @Test
    void readsAHandBuiltFile() {
        String header = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"a\":{\"data_offsets\":[4,12],\"shape\":[2,1],\"dtype\":\"I32\"},"
                + "\"s\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[12,13]},"
                + "\"e\":{\"dtype\":\"F64\",\"shape\":[0,3],\"data_offsets\":[13,13]},"
                + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"h\\u00e9\"}}   ";
        byte[] data = {
            (byte) 0xC0, 0x3F,                 // bf16 1.5 = 0x3FC0
            0x00, (byte) 0xC0,                 // bf16 -2.0 = 0xC000
            0x01, 0x00, 0x00, 0x00,            // i32 1
            (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,  // i32 -2
            (byte) 200,                        // u8 200
        };
        Path file = TestFiles.write(dir, "hand.safetensors", TestFiles.file(header, data));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(List.of("b", "a", "s", "e"), List.copyOf(st.names()));
            assertEquals(Map.of("format", "pt", "note", "hé"), st.metadata());
            assertArrayEquals(new float[] {1.5f, -2f}, st.get("b").toFloatArray());
            assertEquals(Shape.of(2, 1), st.get("a").shape());
            assertArrayEquals(new long[] {1, -2}, st.get("a").toLongArray());
            assertEquals(200, st.get("s").getLong());
            assertEquals(0, st.get("e").elementCount());
            assertEquals(new TensorInfo("a", DType.I32, Shape.of(2, 1), 4, 12), st.info("a"));
            assertEquals(8 + header.length(), st.header().dataStart());
            assertEquals(data.length, st.header().dataByteSize());
        }
    }

    @Test
    void headerCanBeReadWithoutMappingTheData() {
        Path file = dir.resolve("h.safetensors");
        SafetensorsWriter.write(file, Map.of("x", Tensor.allocate(DType.F16, 3, 4)), Map.of("format", "pt"));
        SafetensorsHeader header = SafetensorsHeader.read(file);
        assertEquals(List.of(new TensorInfo("x", DType.F16, Shape.of(3, 4), 0, 24)), header.tensors());
        assertEquals(Map.of("format", "pt"), header.metadata());
        assertEquals(0, header.headerByteSize() % 8);
    }

    @Test
    void mapsFilesLargerThanTwoGibibytes() throws IOException {
        long elements = (1L << 31) + 8;                 // past Integer.MAX_VALUE bytes of data
        byte[] header = ("{\"big\":{\"dtype\":\"U8\",\"shape\":[" + elements + "],\"data_offsets\":[0," + elements + "]}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        long dataStart = 8 + header.length;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(TestFiles.withLength(header.length, header)));
            ch.write(ByteBuffer.wrap(new byte[] {0x11}), dataStart + (1L << 31) + 3);   // sparse: holes read as zeros
            ch.write(ByteBuffer.wrap(new byte[] {0x7F}), dataStart + elements - 1);
        }
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Tensor big = st.get("big");
            assertEquals(elements, big.elementCount());
            assertEquals(0x11, big.getLong((1L << 31) + 3));
            assertEquals(0x7F, big.getLong(elements - 1));
            assertEquals(0, big.getLong(12345));
        }
    }

    @Test
    void closingTheOwnedArenaInvalidatesViewsWithoutCrashing() {
        Path file = dir.resolve("c.safetensors");
        SafetensorsWriter.write(file, Map.of("w", Tensor.of(1f, 2f)), Map.of());
        SafetensorsFile st = SafetensorsFile.open(file);
        Tensor w = st.get("w");
        st.close();
        assertThrows(IllegalStateException.class, () -> w.getFloat(0));
        assertThrows(IllegalStateException.class, () -> st.get("w"));
        st.close();
    }

    @Test
    void callerOwnedArenaOutlivesTheFile() {
        Path file = dir.resolve("c.safetensors");
        SafetensorsWriter.write(file, Map.of("w", Tensor.of(1f, 2f)), Map.of());
        try (Arena arena = Arena.ofShared()) {
            Tensor w;
            try (SafetensorsFile st = SafetensorsFile.open(file, arena)) {
                w = st.get("w");
            }
            assertEquals(2f, w.getFloat(1));
        }
    }

    @Test
    void absentTensorIsAnIllegalArgumentNamingTensorAndFile() {
        Path file = dir.resolve("n.safetensors");
        SafetensorsWriter.write(file, Map.of("w", Tensor.of(1f)), Map.of());
        try (TensorSource st = SafetensorsFile.open(file)) {
            var e = assertThrows(IllegalArgumentException.class, () -> st.get("missing"));
            assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("n.safetensors"), e.getMessage());
            assertFalse(st.contains("missing"));
            assertEquals(file.toString(), st.description());
        }
    }

    @Test
    void missingFileIsASafetensorsException() {
        Path file = dir.resolve("nope.safetensors");
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("nope.safetensors"), e.getMessage());
    }

    /** shared/models/stories260K-hf: a Llama checkpoint saved by transformers (F32, 5 layers, hidden 64). */
    @Test
    void readsStories260K() {
        Path file = SharedFiles.require("models/stories260K-hf/model.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(2 + 5 * 9, st.names().size());
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(Shape.of(512, 64), st.get("model.embed_tokens.weight").shape());
            assertEquals(Shape.of(64, 64), st.get("model.layers.0.self_attn.q_proj.weight").shape());
            assertEquals(Shape.of(32, 64), st.get("model.layers.4.self_attn.k_proj.weight").shape());
            assertEquals(Shape.of(64, 172), st.get("model.layers.2.mlp.down_proj.weight").shape());
            assertEquals(Shape.of(64), st.get("model.norm.weight").shape());
            double sumOfSquares = 0;
            for (String name : st.names()) {
                Tensor t = st.get(name);
                assertEquals(DType.F32, t.dtype(), name);
                for (float v : t.toFloatArray()) {
                    assertTrue(Float.isFinite(v), name + " holds " + v);
                    sumOfSquares += (double) v * v;
                }
            }
            assertTrue(sumOfSquares > 0, "all weights are zero");
        }
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(file.getParent())) {
            assertEquals(47, checkpoint.names().size());
            assertEquals(file, checkpoint.fileOf("model.norm.weight").path());
        }
    }

    @Test
    void stories260KSurvivesARewrite() {
        Path file = SharedFiles.require("models/stories260K-hf/model.safetensors");
        Path copy = dir.resolve("copy.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, Tensor> all = new java.util.LinkedHashMap<>();
            for (String name : st.names()) all.put(name, st.get(name));
            SafetensorsWriter.write(copy, all, st.metadata());
            try (SafetensorsFile back = SafetensorsFile.open(copy)) {
                assertEquals(st.names(), java.util.Set.copyOf(back.names()));
                for (String name : st.names())
                    assertArrayEquals(TestFiles.bytesOf(st.get(name)), TestFiles.bytesOf(back.get(name)), name);
            }
        }
    }
}
