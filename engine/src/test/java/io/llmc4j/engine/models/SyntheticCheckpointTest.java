package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SyntheticCheckpoint}: files as Hugging Face lays them out, same weights as in memory, atomic, deterministic. */
class SyntheticCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void tinyPresetLoadsBackWithTheInMemoryWeightsAndLogits() throws IOException {
        Path model = SyntheticCheckpoint.write(dir.resolve("tiny"), SyntheticModels.TINY, 7, DType.F32, SyntheticCheckpoint.DEFAULT_MAX_SHARD_BYTES);
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors"), listing(model));
        ModelConfig expectedConfig = SyntheticModels.preset(SyntheticModels.TINY);
        Map<String, Tensor> expected = SyntheticModels.generate(expectedConfig, 7, DType.F32);
        long[][] ids = ModelTesting.randomIds(new Random(3), 2, 5, expectedConfig.vocabSize());
        Tensor input = Tensor.ofLongs(java.util.Arrays.stream(ids).flatMapToLong(java.util.Arrays::stream).toArray(), 2, 5);
        try (LoadedModel loaded = LoadedModel.open(model, ModelTesting.OPS)) {
            assertEquals(expectedConfig.json(), loaded.config().json());
            assertEquals(expected.keySet(), loaded.weights().names());
            for (var e : expected.entrySet())
                assertArrayEquals(e.getValue().toFloatArray(), loaded.weights().get(e.getKey()).toFloatArray(), e.getKey());
            float[] fromDisk = loaded.model().logits(input, null).toFloatArray();
            float[] inMemory = ModelTesting.build(expectedConfig, expected).logits(input, null).toFloatArray();
            assertArrayEquals(inMemory, fromDisk);
        }
        JsonNode generation = new ObjectMapper().readTree(model.resolve("generation_config.json").toFile());
        assertEquals(1, generation.get("bos_token_id").asInt());
        assertEquals(2, generation.get("eos_token_id").asInt());
    }

    @Test
    void bf16WeightsAreTheF32DrawsRoundedAndTheConfigSaysBfloat16() throws IOException {
        Path model = SyntheticCheckpoint.write(dir.resolve("bf16"), SyntheticModels.TINY_QWEN2, 5, DType.BF16, Long.MAX_VALUE);
        ModelConfig config = SyntheticModels.preset(SyntheticModels.TINY_QWEN2);
        Map<String, Tensor> expected = SyntheticModels.generate(config, 5, DType.BF16);
        try (LoadedModel loaded = LoadedModel.open(model, ModelTesting.OPS)) {
            assertEquals("bfloat16", loaded.config().torchDtype());
            assertTrue(loaded.model().tiedEmbeddings());
            for (var e : expected.entrySet()) {
                assertEquals(DType.BF16, loaded.weights().get(e.getKey()).dtype(), e.getKey());
                assertArrayEquals(e.getValue().toFloatArray(), loaded.weights().get(e.getKey()).toFloatArray(), e.getKey());
            }
        }
    }

    @Test
    void aSmallShardLimitWritesShardsAndAnIndexThatLoadToTheSameModel() throws IOException {
        Path single = SyntheticCheckpoint.write(dir.resolve("single"), SyntheticModels.TINY, 9, DType.F32, Long.MAX_VALUE);
        Path sharded = SyntheticCheckpoint.write(dir.resolve("sharded"), SyntheticModels.TINY, 9, DType.F32, 40_000);
        List<String> files = listing(sharded);
        assertTrue(files.contains(SafetensorsCheckpoint.INDEX_FILE_NAME), files.toString());
        assertFalse(files.contains(SafetensorsCheckpoint.SINGLE_FILE_NAME), files.toString());
        assertTrue(files.stream().filter(f -> f.matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count() > 2, files.toString());
        try (SafetensorsCheckpoint a = SafetensorsCheckpoint.open(single); SafetensorsCheckpoint b = SafetensorsCheckpoint.open(sharded)) {
            assertEquals(java.util.Set.copyOf(a.names()), java.util.Set.copyOf(b.names()));
            for (String name : a.names()) assertArrayEquals(a.get(name).toFloatArray(), b.get(name).toFloatArray(), name);
            for (var file : b.files())
                assertTrue(file.header().dataByteSize() <= 40_000 || file.names().size() == 1, file.path().toString());
        }
    }

    @Test
    void theSameSeedGivesByteIdenticalFilesAndAnotherSeedOtherWeights() throws IOException {
        Path a = SyntheticCheckpoint.write(dir.resolve("a"), SyntheticModels.TINY, 1, DType.F32, 50_000);
        Path b = SyntheticCheckpoint.write(dir.resolve("b"), SyntheticModels.TINY, 1, DType.F32, 50_000);
        Path c = SyntheticCheckpoint.write(dir.resolve("c"), SyntheticModels.TINY, 2, DType.F32, 50_000);
        assertEquals(listing(a), listing(b));
        for (String name : listing(a)) assertArrayEquals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)), name);
        String shard = listing(a).stream().filter(f -> f.endsWith(".safetensors")).findFirst().orElseThrow();
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve(shard)), Files.readAllBytes(c.resolve(shard))));
    }

    @Test
    void aConfigJsonPathIsAcceptedInPlaceOfAPreset() throws IOException {
        Path first = SyntheticCheckpoint.write(dir.resolve("first"), SyntheticModels.TINY_MISTRAL, 3, DType.F32, Long.MAX_VALUE);
        Path copy = SyntheticCheckpoint.write(dir.resolve("copy"), first.resolve("config.json").toString(), 3, DType.F32, Long.MAX_VALUE);
        assertArrayEquals(Files.readAllBytes(first.resolve("model.safetensors")), Files.readAllBytes(copy.resolve("model.safetensors")));
        Path fromDir = SyntheticCheckpoint.write(dir.resolve("fromDir"), first.toString(), 3, DType.F32, Long.MAX_VALUE);
        assertArrayEquals(Files.readAllBytes(first.resolve("config.json")), Files.readAllBytes(fromDir.resolve("config.json")));
    }

    @Test
    void anUnknownPresetListsThePresets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticCheckpoint.write(dir.resolve("x"), "huge", 1, DType.F32, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("'huge'") && e.getMessage().contains(SyntheticModels.TINY), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void aNonEmptyTargetIsRefusedAndLeftAsItWas() throws IOException {
        Path target = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(target.resolve("notes.txt"), "keep me");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticCheckpoint.write(target, SyntheticModels.TINY, 1, DType.F32, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("not empty"), e.getMessage());
        assertEquals(List.of("notes.txt"), listing(target));
        assertEquals(List.of("taken"), listing(dir), "no temporary directory is left behind");
    }

    /** Files.createTempFile would make owner-only files; the checkpoint must be as readable as any file the user writes. */
    @Test
    void filesGetTheUsersOrdinaryPermissions() throws IOException {
        Path model = SyntheticCheckpoint.write(dir.resolve("perms"), SyntheticModels.TINY, 1, DType.F32, 40_000);
        var ordinaryFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("ordinary")));
        var ordinaryDirectory = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("ordinaryDir")));
        assertEquals(ordinaryDirectory, Files.getPosixFilePermissions(model));
        for (String name : listing(model)) assertEquals(ordinaryFile, Files.getPosixFilePermissions(model.resolve(name)), name);
    }

    @Test
    void anEmptyTargetDirectoryIsFilled() throws IOException {
        Path target = Files.createDirectory(dir.resolve("empty"));
        SyntheticCheckpoint.write(target, SyntheticModels.TINY, 1, DType.F32, Long.MAX_VALUE);
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors"), listing(target));
        assertEquals(List.of("empty"), listing(dir));
    }

    @Test
    void f16IsRefusedBeforeAnythingIsWritten() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> SyntheticCheckpoint.write(dir.resolve("f16"), SyntheticModels.TINY, 1, DType.F16, 1));
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void theSmallBenchmarkPresetHasItsDocumentedShape() {
        ModelConfig c = SyntheticModels.preset(SyntheticModels.SMALL);
        assertEquals(512, c.hiddenSize());
        assertEquals(1376, c.intermediateSize());
        assertEquals(64, c.headDim());
        assertEquals(2, c.groupSize());
        long parameters = Architecture.of(c.modelType()).parameterShapes(c).values().stream()
                .mapToLong(d -> java.util.Arrays.stream(d).reduce(1, Math::multiplyExact)).sum();
        assertTrue(parameters > 15_000_000 && parameters < 17_000_000, "parameters " + parameters);
    }

    @Test
    void generateTensorMatchesTheWholeModelGeneration() {
        ModelConfig c = SyntheticModels.preset(SyntheticModels.TINY_QWEN3);
        Map<String, Tensor> all = SyntheticModels.generate(c, 11, DType.BF16);
        for (var e : all.entrySet())
            assertArrayEquals(e.getValue().toFloatArray(), SyntheticModels.generateTensor(c, e.getKey(), 11, DType.BF16).toFloatArray(), e.getKey());
        assertThrows(IllegalArgumentException.class, () -> SyntheticModels.generateTensor(c, "lm_head.bias", 11, DType.F32));
    }

    static List<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
