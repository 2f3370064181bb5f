package io.llmc4j.engine.io.safetensors;

import static io.llmc4j.engine.io.safetensors.TestFiles.randomTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafetensorsStreamingWriterTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> tensors(long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("a.weight", randomTensor(DType.F32, new long[] {7, 3}, random));          // 84 bytes
        out.put("a.weight_packed", randomTensor(DType.I32, new long[] {7, 1}, random));   // 28
        out.put("b.weight", randomTensor(DType.BF16, new long[] {33, 7}, random));        // 462: above most limits
        out.put("b.weight_shape", Tensor.ofLongs(new long[] {33, 7}, 2));                  // 16
        out.put("c.scale", randomTensor(DType.F8_E4M3, new long[] {31}, random));          // 31
        out.put("d.weight", randomTensor(DType.F16, new long[] {1, 3}, random));           // 6
        return out;
    }

    /** Byte-for-byte the same files as the all-at-once writer, for every split the limit causes. */
    @ParameterizedTest
    @ValueSource(longs = {1, 30, 100, 113, 500, 1 << 20})
    void writesTheSameFilesAsTheShardedWriter(long maxShardBytes) throws IOException {
        Map<String, Tensor> tensors = tensors(maxShardBytes);
        Path expectedDir = Files.createDirectory(dir.resolve("expected"));
        Path actualDir = Files.createDirectory(dir.resolve("actual"));
        List<Path> expected = SafetensorsShardedWriter.write(expectedDir, tensors, Map.of("format", "pt"), maxShardBytes);
        List<Path> actual;
        try (SafetensorsStreamingWriter writer = SafetensorsStreamingWriter.open(actualDir, Map.of("format", "pt"), maxShardBytes)) {
            tensors.forEach(writer::add);
            actual = writer.finish();
        }
        assertEquals(expected.stream().map(Path::getFileName).toList(), actual.stream().map(Path::getFileName).toList());
        for (Path file : expected)
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(actualDir.resolve(file.getFileName())), file.getFileName().toString());
        assertEquals(expected.size(), listing(actualDir).size(), "no other file: " + listing(actualDir));
    }

    @Test
    void closingBeforeFinishLeavesNoFile() throws IOException {
        try (SafetensorsStreamingWriter writer = SafetensorsStreamingWriter.open(dir, null, 40)) {
            tensors(3).forEach(writer::add);
            assertTrue(listing(dir).size() > 0, "full shards are written as temporaries while adding");
        }
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void aFailingTensorDeletesTheTemporariesWrittenSoFar() throws IOException {
        Arena arena = Arena.ofConfined();
        Tensor gone = Tensor.allocate(arena, DType.F32, 4);
        arena.close();
        try (SafetensorsStreamingWriter writer = SafetensorsStreamingWriter.open(dir, null, 40)) {
            tensors(5).forEach(writer::add);
            assertThrows(SafetensorsException.class, () -> {
                writer.add("z.closed", gone);
                writer.finish();
            });
            assertThrows(IllegalStateException.class, () -> writer.add("y", Tensor.of(1f)));
        }
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void repeatedNamesAreRejected() {
        try (SafetensorsStreamingWriter writer = SafetensorsStreamingWriter.open(dir, null, 1000)) {
            writer.add("x", Tensor.of(1f));
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> writer.add("x", Tensor.of(2f)));
            assertEquals("x", e.tensor().orElseThrow());
        }
    }

    private static List<Path> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
