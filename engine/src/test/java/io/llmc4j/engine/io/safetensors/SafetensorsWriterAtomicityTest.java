package io.llmc4j.engine.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterAtomicityTest {
    @TempDir
    Path dir;

    /** A tensor whose memory is gone: reading it throws IllegalStateException. */
    private static Tensor unreadable() {
        Arena arena = Arena.ofConfined();
        Tensor t = Tensor.allocate(arena, DType.F32, 4);
        arena.close();
        return t;
    }

    @Test
    void successfulWriteLeavesOnlyTheTarget() {
        SafetensorsWriter.write(dir.resolve("model.safetensors"), Map.of("w", Tensor.of(1f, 2f)), Map.of());
        SafetensorsWriter.write(dir.resolve("model.safetensors"), Map.of("w", Tensor.of(3f)), Map.of());
        assertEquals(List.of("model.safetensors"), TestFiles.listing(dir));
        try (SafetensorsFile st = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            assertArrayEquals(new float[] {3f}, st.get("w").toFloatArray());
        }
    }

    @Test
    void failureMidwayDeletesTheTemporaryFileAndKeepsTheOldTarget() {
        Path target = dir.resolve("model.safetensors");
        SafetensorsWriter.write(target, Map.of("old", Tensor.of(7f)), Map.of());
        byte[] before = TestFiles.read(target);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a_good", Tensor.allocate(DType.F32, 1 << 19));   // 2 MiB: the staging buffer is flushed before the failure
        tensors.put("b_gone", unreadable());
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsWriter.write(target, tensors, Map.of()));
        assertEquals(Optional.of("b_gone"), e.tensor());
        assertEquals(target, e.file());
        assertTrue(e.getMessage().contains("cannot read the tensor's data (F32[4])"), e.getMessage());
        assertEquals(List.of("model.safetensors"), TestFiles.listing(dir));
        assertArrayEquals(before, TestFiles.read(target));
    }

    @Test
    void failureWithNoPreviousTargetLeavesNothing() {
        var e = assertThrows(SafetensorsException.class,
                () -> SafetensorsWriter.write(dir.resolve("x.safetensors"), Map.of("gone", unreadable()), Map.of()));
        assertTrue(e.getMessage().contains("x.safetensors"), e.getMessage());
        assertEquals(List.of(), TestFiles.listing(dir));
    }

    @Test
    void missingDirectoryIsReportedAndNothingIsCreated() {
        Path target = dir.resolve("absent/model.safetensors");
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsWriter.write(target, Map.of("w", Tensor.of(1f)), Map.of()));
        assertEquals(target, e.file());
        assertTrue(e.getMessage().contains("cannot create a temporary file in"), e.getMessage());
        assertEquals(List.of(), TestFiles.listing(dir));
    }

    @Test
    void shardedFailureInALaterShardLeavesTheDirectoryUntouched() {
        SafetensorsShardedWriter.write(dir, Map.of("keep", Tensor.of(5f)), Map.of(), 1000);
        byte[] before = TestFiles.read(dir.resolve("model.safetensors"));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.allocate(DType.F32, 8));
        tensors.put("b", Tensor.allocate(DType.F32, 8));
        tensors.put("c", unreadable());
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsShardedWriter.write(dir, tensors, Map.of(), 32));
        assertEquals(Optional.of("c"), e.tensor());
        assertEquals(List.of("model.safetensors"), TestFiles.listing(dir));
        assertArrayEquals(before, TestFiles.read(dir.resolve("model.safetensors")));
    }

    @Test
    void shardedWriterNeedsAnExistingDirectoryAndAPositiveLimit() {
        Path missing = dir.resolve("missing");
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsShardedWriter.write(missing, Map.of(), Map.of(), 10));
        assertTrue(e.getMessage().contains("expected an existing directory"), e.getMessage());
        var limit = assertThrows(SafetensorsException.class, () -> SafetensorsShardedWriter.write(dir, Map.of(), Map.of(), 0));
        assertTrue(limit.getMessage().contains("must be positive, got 0"), limit.getMessage());
        assertTrue(Files.notExists(missing));
    }
}
