package io.llmc4j.engine.io.safetensors;

import static io.llmc4j.engine.io.safetensors.TestFiles.listing;
import static io.llmc4j.engine.io.safetensors.TestFiles.randomTensor;
import static io.llmc4j.engine.io.safetensors.TestFiles.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SafetensorsShardedWriter#writeDeferred}: same bytes as the eager writer, data made once per tensor, clean failures. */
class DeferredWriteTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> tensors(long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("embed", randomTensor(DType.F32, new long[] {31, 8}, random));
        for (int i = 0; i < 3; i++) {
            out.put("layer." + i + ".w", randomTensor(DType.BF16, new long[] {7, 33}, random));
            out.put("layer." + i + ".norm", randomTensor(DType.F32, new long[] {3}, random));
        }
        out.put("shape", Tensor.ofLongs(new long[] {31, 8}, 2));
        return out;
    }

    private static Map<String, DeferredTensor> deferred(Map<String, Tensor> tensors, List<String> calls) {
        Map<String, DeferredTensor> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, new DeferredTensor(t.dtype(), t.shape(), () -> {
            calls.add(name);
            return t;
        })));
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 100, 500, 1_000_000})
    void writesTheSameFilesAsTheEagerWriterAndMakesEachTensorOnce(long maxShardBytes) throws IOException {
        Map<String, Tensor> tensors = tensors(maxShardBytes);
        Path eager = Files.createDirectory(dir.resolve("eager"));
        Path lazy = Files.createDirectory(dir.resolve("lazy"));
        List<Path> eagerFiles = SafetensorsShardedWriter.write(eager, tensors, Map.of("format", "pt"), maxShardBytes);
        List<String> calls = new ArrayList<>();
        List<Path> lazyFiles = SafetensorsShardedWriter.writeDeferred(lazy, deferred(tensors, calls), Map.of("format", "pt"), maxShardBytes);

        assertEquals(eagerFiles.stream().map(Path::getFileName).toList(), lazyFiles.stream().map(Path::getFileName).toList());
        assertEquals(listing(eager), listing(lazy));
        for (String name : listing(eager)) assertArrayEquals(read(eager.resolve(name)), read(lazy.resolve(name)), name);
        assertEquals(tensors.size(), calls.size(), "one call per tensor: " + calls);
        assertEquals(tensors.keySet(), java.util.Set.copyOf(calls));
    }

    @Test
    void dataOfAnotherShapeThanDeclaredFailsNamingTheTensorAndLeavesNothing() {
        Map<String, DeferredTensor> tensors = new LinkedHashMap<>();
        tensors.put("a", new DeferredTensor(DType.F32, Shape.of(2, 3), () -> Tensor.allocate(DType.F32, 2, 3)));
        tensors.put("b", new DeferredTensor(DType.F32, Shape.of(4), () -> Tensor.allocate(DType.F32, 5)));
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> SafetensorsShardedWriter.writeDeferred(dir, tensors, Map.of(), 1_000_000));
        assertEquals("b", e.tensor().orElseThrow());
        assertTrue(e.getMessage().contains("declared as F32[4]") && e.getMessage().contains("F32[5]"), e.getMessage());
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void dataOfAnotherDtypeThanDeclaredFails() {
        Map<String, DeferredTensor> tensors = Map.of("a", new DeferredTensor(DType.BF16, Shape.of(4), () -> Tensor.allocate(DType.F32, 4)));
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> SafetensorsShardedWriter.writeDeferred(dir, tensors, Map.of(), 1_000_000));
        assertTrue(e.getMessage().contains("BF16") && e.getMessage().contains("F32"), e.getMessage());
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void aFailingSupplierIsReportedWithItsTensorAndLeavesNothing() {
        Map<String, DeferredTensor> tensors = new LinkedHashMap<>();
        tensors.put("ok", new DeferredTensor(DType.F32, Shape.of(4), () -> Tensor.allocate(DType.F32, 4)));
        tensors.put("broken", new DeferredTensor(DType.F32, Shape.of(4), () -> {
            throw new IllegalStateException("generator exploded");
        }));
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> SafetensorsShardedWriter.writeDeferred(dir, tensors, Map.of(), 8));
        assertEquals("broken", e.tensor().orElseThrow());
        assertTrue(e.getMessage().contains("generator exploded"), e.getMessage());
        assertEquals(List.of(), listing(dir));
    }
}
