package io.llmc4j.engine.io.safetensors;

import static io.llmc4j.engine.io.safetensors.TestFiles.bytesOf;
import static io.llmc4j.engine.io.safetensors.TestFiles.randomTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCheckpointTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> model(long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", randomTensor(DType.F32, new long[] {31, 8}, random));      // 992 bytes
        for (int layer = 0; layer < 3; layer++) {
            tensors.put("model.layers." + layer + ".self_attn.q_proj.weight", randomTensor(DType.BF16, new long[] {8, 8}, random));
            tensors.put("model.layers." + layer + ".input_layernorm.weight", randomTensor(DType.F32, new long[] {8}, random));
            tensors.put("model.layers." + layer + ".self_attn.q_proj.weight_scale", randomTensor(DType.F16, new long[] {8, 1}, random));
        }
        tensors.put("model.norm.weight", randomTensor(DType.F32, new long[] {8}, random));
        tensors.put("lm_head.weight_shape", Tensor.ofLongs(new long[] {31, 8}, 2));
        return tensors;
    }

    @Test
    void shardedRoundTripWithASmallShardLimit() {
        Map<String, Tensor> tensors = model(11);
        List<Path> written = SafetensorsShardedWriter.write(dir, tensors, Map.of("format", "pt"), 200);
        List<String> names = written.stream().map(p -> p.getFileName().toString()).toList();
        int shards = names.size() - 1;
        assertTrue(shards > 2, names.toString());
        assertEquals(String.format(java.util.Locale.ROOT, "model-00001-of-%05d.safetensors", shards), names.getFirst());
        assertEquals(SafetensorsCheckpoint.INDEX_FILE_NAME, names.getLast());

        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            assertEquals(tensors.keySet(), java.util.Set.copyOf(checkpoint.names()));
            assertEquals(shards, checkpoint.files().size());
            for (var entry : tensors.entrySet())
                assertArrayEquals(bytesOf(entry.getValue()), bytesOf(checkpoint.get(entry.getKey())), entry.getKey());
            for (SafetensorsFile file : checkpoint.files()) {
                assertEquals(Map.of("format", "pt"), file.metadata());
                long data = file.header().dataByteSize();
                assertTrue(data <= 200 || file.names().size() == 1, file.path() + " holds " + data + " bytes");
            }
        }
        CheckpointIndex index = CheckpointIndex.read(dir.resolve(SafetensorsCheckpoint.INDEX_FILE_NAME));
        long total = tensors.values().stream().mapToLong(Tensor::byteSize).sum();
        assertEquals(total, index.totalSize().orElseThrow());
        assertEquals(tensors.keySet(), index.weightMap().keySet());
    }

    @Test
    void indexIsWrittenAsTransformersWritesIt() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.allocate(DType.U8, 6));
        tensors.put("a", Tensor.allocate(DType.U8, 6));
        SafetensorsShardedWriter.write(dir, tensors, Map.of(), 8);
        String expected = """
                {
                  "metadata": {
                    "total_size": 12
                  },
                  "weight_map": {
                    "a": "model-00002-of-00002.safetensors",
                    "b": "model-00001-of-00002.safetensors"
                  }
                }
                """;
        assertEquals(expected, Files.readString(dir.resolve(SafetensorsCheckpoint.INDEX_FILE_NAME)));
    }

    /** The worked example of huggingface_hub's tests (sizes 6, 10, 30, 2, 2 with a limit of 10). */
    @Test
    void shardsAreSplitAsHuggingFaceHubSplitsThem() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int[] sizes = {6, 10, 30, 2, 2};
        for (int i = 0; i < sizes.length; i++) tensors.put("layer_" + (i + 1), Tensor.allocate(DType.U8, sizes[i]));
        ShardPlan plan = ShardPlan.of(tensors, 10);
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        plan.shards().forEach((file, shard) -> byFile.put(file, List.copyOf(shard.keySet())));
        assertEquals(Map.of(
                "model-00001-of-00004.safetensors", List.of("layer_1"),
                "model-00002-of-00004.safetensors", List.of("layer_3"),
                "model-00003-of-00004.safetensors", List.of("layer_2"),
                "model-00004-of-00004.safetensors", List.of("layer_4", "layer_5")), byFile);
        assertEquals(List.copyOf(byFile.keySet()), List.of("model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
                "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors"));
        assertEquals(50, plan.totalByteSize());
    }

    @Test
    void everythingThatFitsGoesToASingleModelSafetensors() {
        Map<String, Tensor> tensors = model(5);
        List<Path> written = SafetensorsShardedWriter.write(dir, tensors, Map.of(), 1L << 30);
        assertEquals(List.of(dir.resolve("model.safetensors")), written);
        assertEquals(List.of("model.safetensors"), TestFiles.listing(dir));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            assertEquals(tensors.size(), checkpoint.names().size());
        }
    }

    @Test
    void rewritingRemovesFilesOfTheEarlierSave() {
        SafetensorsShardedWriter.write(dir, model(1), Map.of(), 100);
        assertTrue(TestFiles.listing(dir).size() > 4);
        SafetensorsShardedWriter.write(dir, model(2), Map.of(), 1000);      // fewer shards
        List<String> listing = TestFiles.listing(dir);
        assertTrue(listing.stream().allMatch(n -> n.endsWith("-of-00002.safetensors") || n.endsWith(".index.json")), listing.toString());
        SafetensorsShardedWriter.write(dir, model(3), Map.of(), 1L << 20);  // now a single file
        assertEquals(List.of("model.safetensors"), TestFiles.listing(dir));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            assertArrayEquals(bytesOf(model(3).get("model.norm.weight")), bytesOf(checkpoint.get("model.norm.weight")));
        }
    }

    @Test
    void withoutIndexOrModelSafetensorsEverySafetensorsFileIsRead() {
        SafetensorsWriter.write(dir.resolve("b.safetensors"), Map.of("y", Tensor.of(2f)), Map.of());
        SafetensorsWriter.write(dir.resolve("a.safetensors"), Map.of("x", Tensor.of(1f)), Map.of());
        TestFiles.write(dir, "notes.txt", "not weights".getBytes(StandardCharsets.UTF_8));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
            assertEquals(List.of("x", "y"), List.copyOf(checkpoint.names()));
            assertEquals(dir.resolve("b.safetensors"), checkpoint.fileOf("y").path());
            assertEquals(2f, checkpoint.get("y").getFloat(0));
        }
    }

    @Test
    void aTensorInTwoFilesIsAnError() {
        SafetensorsWriter.write(dir.resolve("a.safetensors"), Map.of("x", Tensor.of(1f)), Map.of());
        SafetensorsWriter.write(dir.resolve("b.safetensors"), Map.of("x", Tensor.of(2f)), Map.of());
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertEquals(Optional.of("x"), e.tensor());
        assertTrue(e.getMessage().contains("b.safetensors") && e.getMessage().contains("also appears in")
                && e.getMessage().contains("a.safetensors"), e.getMessage());
    }

    @Test
    void indexNamingAMissingShardIsAnError() throws IOException {
        SafetensorsShardedWriter.write(dir, model(1), Map.of(), 300);
        String shard = firstShard();
        Files.delete(dir.resolve(shard));
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertEquals(dir.resolve(SafetensorsCheckpoint.INDEX_FILE_NAME), e.file());
        assertTrue(e.getMessage().contains("weight_map names shard '" + shard + "'") && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void indexClaimingATensorAShardLacksIsAnError() throws IOException {
        SafetensorsShardedWriter.write(dir, model(1), Map.of(), 300);
        Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE_NAME);
        Files.writeString(index, Files.readString(index).replace("\"model.norm.weight\"", "\"model.norm.bias\""));
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertEquals(Optional.of("model.norm.bias"), e.tensor());
        assertTrue(e.getMessage().contains("but that file has no such tensor"), e.getMessage());
    }

    @Test
    void indexPlacingATensorInTheWrongShardIsADuplicate() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.allocate(DType.U8, 6));
        tensors.put("b", Tensor.allocate(DType.U8, 6));
        SafetensorsShardedWriter.write(dir, tensors, Map.of(), 8);
        // a second copy of "a" in shard 2, which the index does not mention
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"),
                Map.of("a", Tensor.allocate(DType.U8, 6), "b", Tensor.allocate(DType.U8, 6)), Map.of());
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertEquals(Optional.of("a"), e.tensor());
        assertTrue(e.getMessage().contains("also appears in"), e.getMessage());
    }

    @Test
    void indexShardOutsideTheDirectoryIsRejected() throws IOException {
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX_FILE_NAME),
                "{\"metadata\":{},\"weight_map\":{\"w\":\"../elsewhere.safetensors\"}}");
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e.getMessage().contains("outside the checkpoint directory"), e.getMessage());
    }

    @Test
    void malformedIndexesAreRejected() throws IOException {
        Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE_NAME);
        Files.writeString(index, "{\"metadata\":{}}");
        var noMap = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(noMap.getMessage().contains("\"weight_map\" must be an object mapping tensor names to shard files, found nothing"),
                noMap.getMessage());
        Files.writeString(index, "{\"weight_map\":{\"w\":3}}");
        var badValue = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertEquals(Optional.of("w"), badValue.tensor());
        Files.writeString(index, "{\"weight_map\":{\"w\":\"a.safetensors\",\"w\":\"b.safetensors\"}}");
        var duplicate = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(duplicate.getMessage().contains("Duplicate field 'w'"), duplicate.getMessage());
        Files.writeString(index, "{\"weight_map\":{}, \"metadata\": {\"total_size\": -5}}");
        var size = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(size.getMessage().contains("total_size"), size.getMessage());
    }

    @Test
    void aMalformedShardFailsTheWholeCheckpoint() {
        SafetensorsWriter.write(dir.resolve("a.safetensors"), Map.of("x", Tensor.of(1f)), Map.of());
        TestFiles.write(dir, "b.safetensors", TestFiles.file("{}", new byte[1]));
        var e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertEquals(dir.resolve("b.safetensors"), e.file());
    }

    @Test
    void missingEmptyAndNonDirectoriesAreClearErrors() {
        Path missing = dir.resolve("no-such-model");
        var e1 = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(missing));
        assertEquals(missing + ": model directory does not exist", e1.getMessage());
        var e2 = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(e2.getMessage().contains("found no model.safetensors.index.json, no model.safetensors and no *.safetensors"),
                e2.getMessage());
        Path file = TestFiles.write(dir, "plain.txt", new byte[1]);
        var e3 = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(file));
        assertTrue(e3.getMessage().contains("expected a model directory, found a file"), e3.getMessage());
    }

    @Test
    void closeUnmapsEveryShard() {
        SafetensorsShardedWriter.write(dir, model(4), Map.of(), 300);
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        Tensor norm = checkpoint.get("model.norm.weight");
        checkpoint.close();
        assertThrows(IllegalStateException.class, () -> norm.getFloat(0));
        assertThrows(IllegalStateException.class, () -> checkpoint.get("model.norm.weight"));
        var absent = assertThrows(IllegalArgumentException.class, () -> checkpoint.info("nope"));
        assertTrue(absent.getMessage().contains("nope"), absent.getMessage());
    }

    /** The shard holding the first tensor, as the index says. */
    private String firstShard() {
        return CheckpointIndex.read(dir.resolve(SafetensorsCheckpoint.INDEX_FILE_NAME)).weightMap().get("model.embed_tokens.weight");
    }
}
