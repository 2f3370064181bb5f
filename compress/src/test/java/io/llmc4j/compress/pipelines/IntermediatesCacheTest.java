package io.llmc4j.compress.pipelines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.pipelines.IntermediatesCache.Offload;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IntermediatesCacheTest {
    @TempDir
    Path temp;

    private IntermediatesCache.Options options(Offload offload, boolean prefetch) {
        return new IntermediatesCache.Options(offload, temp, prefetch);
    }

    private static List<Map<String, Tensor>> batches(int count) {
        Random random = new Random(3);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int b = 0; b < count; b++) out.add(Map.of("input_ids", TinyModels.tokens(random, 50, 1, 3 + b), "hidden", TinyModels.random(random, 1, 3, 7)));
        return out;
    }

    private static long files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @ParameterizedTest
    @EnumSource(Offload.class)
    void fetchUpdateDeleteKeepValues(Offload offload) {
        List<Map<String, Tensor>> batches = batches(3);
        try (var cache = IntermediatesCache.fromBatches(batches, options(offload, false))) {
            assertEquals(3, cache.batchCount());
            assertEquals(Set.of("hidden", "input_ids"), cache.names(1));
            Map<String, Tensor> fetched = cache.fetch(1, List.of("input_ids", "hidden"));
            assertEquals(List.of("input_ids", "hidden"), List.copyOf(fetched.keySet()));
            assertArrayEquals(batches.get(1).get("input_ids").toLongArray(), fetched.get("input_ids").toLongArray());
            assertArrayEquals(batches.get(1).get("hidden").toFloatArray(), fetched.get("hidden").toFloatArray());
            if (offload == Offload.NONE) assertSame(batches.get(1).get("hidden"), fetched.get("hidden"));

            Tensor transposed = batches.get(2).get("hidden").transpose(0, 1);
            cache.update(1, Map.of("layer0", transposed));
            assertArrayEquals(transposed.toFloatArray(), cache.fetch(1, List.of("layer0")).get("layer0").toFloatArray(), "strided values");
            cache.delete(1, List.of("hidden", "input_ids"));
            assertEquals(Set.of("layer0"), cache.names(1));
            var e = assertThrows(IllegalArgumentException.class, () -> cache.fetch(1, List.of("hidden")));
            assertEquals("intermediates of batch 1 hold no 'hidden'; they hold [layer0]", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cache.delete(0, List.of("layer0")));
            assertEquals("cannot delete 'layer0' from the intermediates of batch 0; they hold [hidden, input_ids]", e.getMessage());
        }
    }

    @Test
    void replacingAValueWithAViewOfItselfCopiesFirst() {
        try (var cache = IntermediatesCache.empty(1, options(Offload.DISK, false))) {
            Tensor x = TinyModels.random(new Random(1), 1, 4, 5);
            cache.update(0, Map.of("x", x));
            Tensor stored = cache.fetch(0, List.of("x")).get("x");
            cache.update(0, Map.of("x", stored.narrow(0, 1, 2)));
            assertArrayEquals(x.narrow(0, 1, 2).toFloatArray(), cache.fetch(0, List.of("x")).get("x").toFloatArray());
        }
    }

    @Test
    void bytesAreCountedPerOffload() {
        List<Map<String, Tensor>> batches = batches(2);
        long total = 0;
        for (var b : batches) for (Tensor t : b.values()) total += t.byteSize();
        try (var none = IntermediatesCache.fromBatches(batches, options(Offload.NONE, false));
             var offHeap = IntermediatesCache.fromBatches(batches, options(Offload.OFF_HEAP, false));
             var disk = IntermediatesCache.fromBatches(batches, options(Offload.DISK, false))) {
            assertEquals(total, none.bytesResident());
            assertEquals(0, none.bytesOffloaded());
            assertEquals(total, offHeap.bytesResident());
            assertEquals(0, disk.bytesResident());
            assertEquals(total, disk.bytesOffloaded());
            disk.delete(0, List.of("hidden"));
            assertEquals(total - batches.get(0).get("hidden").byteSize(), disk.bytesOffloaded());
        }
    }

    @Test
    void diskFilesGoWithTheirValuesAndTheDirectoryOnClose() throws IOException {
        var cache = IntermediatesCache.fromBatches(batches(3), options(Offload.DISK, false));
        Path dir = cache.directory();
        assertTrue(dir.startsWith(temp), dir::toString);
        assertEquals(6, files(dir));
        cache.delete(2, List.of("hidden"));
        assertEquals(5, files(dir));
        cache.update(2, Map.of("input_ids", Tensor.ofLongs(new long[] {1, 2}, 1, 2)));
        assertEquals(5, files(dir), "a replaced value's file is deleted");
        cache.close();
        assertFalse(Files.exists(dir));
        cache.close();
        assertThrows(IllegalStateException.class, () -> cache.fetch(0));
    }

    @Test
    void aFailedFillRemovesWhatWasWritten() throws IOException {
        List<Map<String, Tensor>> batches = new ArrayList<>(batches(2));
        batches.add(Map.of("symbolic", Tensor.symbolic(DType.F32, io.llmc4j.engine.tensor.Shape.of(2), "tag")));
        var e = assertThrows(IllegalArgumentException.class, () -> IntermediatesCache.fromBatches(batches, options(Offload.DISK, false)));
        assertTrue(e.getMessage().startsWith("intermediate 'symbolic' of batch 2 is symbolic"), e.getMessage());
        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Offload.class)
    void forEachBatchVisitsInOrderWithPrefetch(Offload offload) {
        List<Map<String, Tensor>> batches = batches(5);
        try (var cache = IntermediatesCache.fromBatches(batches, options(offload, true))) {
            List<Integer> seen = new ArrayList<>();
            cache.forEachBatch(b -> List.of("hidden"), (b, values) -> {
                seen.add(b);
                assertArrayEquals(batches.get(b).get("hidden").toFloatArray(), values.get("hidden").toFloatArray());
                cache.update(b, Map.of("out", values.get("hidden")));
                cache.delete(b, List.of("hidden"));
            });
            assertEquals(List.of(0, 1, 2, 3, 4), seen);
            for (int b = 0; b < 5; b++) assertEquals(Set.of("input_ids", "out"), cache.names(b));
        }
    }
}
