package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.io.safetensors.SafetensorsException;
import io.llmc4j.engine.io.safetensors.SafetensorsWriter;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LoadedModel}: opens a model directory, and every way one can be broken gives one clear error. */
class LoadedModelTest {
    @TempDir
    Path dir;
    private Path model;

    @BeforeEach
    void writeTinyModel() {
        model = SyntheticCheckpoint.write(dir.resolve("tiny"), SyntheticModels.TINY, 4, DType.F32, Long.MAX_VALUE);
    }

    @Test
    void opensAndRunsThenCloseUnmapsTheWeights() {
        LoadedModel loaded = LoadedModel.open(model, ModelTesting.OPS);
        Tensor logits = loaded.model().logits(Tensor.ofLongs(new long[] {1, 5, 9}, 1, 3), null);
        assertEquals(java.util.List.of(1L, 3L, 256L), java.util.Arrays.stream(logits.shape().toArray()).boxed().toList());
        Tensor weight = loaded.weights().get("model.norm.weight");
        loaded.close();
        assertThrows(IllegalStateException.class, () -> loaded.weights().get("model.norm.weight"));
        assertThrows(IllegalStateException.class, weight::toFloatArray);
        loaded.close();
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path missing = dir.resolve("nope");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.open(missing, ModelTesting.OPS));
        assertEquals(missing + ": model directory does not exist", e.getMessage());
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.open(file, ModelTesting.OPS));
        assertTrue(e.getMessage().startsWith(file + ": expected a model directory"), e.getMessage());
    }

    @Test
    void anUnreadableDirectoryIsNamed() throws IOException {
        Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("-wx------"));
        try {
            assumeFalse(Files.isReadable(model), "running with privileges that read any directory (root); skipping");
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.open(model, ModelTesting.OPS));
            assertEquals(model + ": model directory is not readable", e.getMessage());
        } finally {
            Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aMissingConfigJsonIsNamed() throws IOException {
        Files.delete(model.resolve("config.json"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LoadedModel.open(model, ModelTesting.OPS));
        assertTrue(e.getMessage().startsWith(model.resolve("config.json") + ": not found"), e.getMessage());
    }

    @Test
    void anUnknownModelTypeNamesTheFileTheKeyAndTheSupportedTypes() throws IOException {
        editConfig(c -> c.put("model_type", "gpt2"));
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> LoadedModel.open(model, ModelTesting.OPS));
        assertEquals(model.resolve("config.json").toString(), e.origin());
        assertEquals("model_type", e.key());
        assertTrue(e.getMessage().contains("\"gpt2\"") && e.getMessage().contains("llama, mistral, mixtral"), e.getMessage());
    }

    @Test
    void invalidConfigJsonNamesTheFile() throws IOException {
        Files.writeString(model.resolve("config.json"), "{\"model_type\": ");
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> LoadedModel.open(model, ModelTesting.OPS));
        assertTrue(e.getMessage().startsWith(model.resolve("config.json") + ": is not valid JSON"), e.getMessage());
    }

    @Test
    void aMissingTensorIsNamedWithItsExpectedShape() {
        rewriteWeights(w -> w.remove("model.layers.1.mlp.up_proj.weight"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadedModel.open(model, ModelTesting.OPS));
        assertTrue(e.getMessage().contains("'model.layers.1.mlp.up_proj.weight' is missing") && e.getMessage().contains(model.toString())
                && e.getMessage().contains("[172, 64]"), e.getMessage());
    }

    @Test
    void aShapeThatDoesNotMatchTheConfigIsNamed() throws IOException {
        editConfig(c -> c.put("intermediate_size", 128));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadedModel.open(model, ModelTesting.OPS));
        assertTrue(e.getMessage().contains("'model.layers.0.mlp.gate_proj.weight'") && e.getMessage().contains("[172, 64]")
                && e.getMessage().contains("[128, 64]"), e.getMessage());
    }

    @Test
    void aTruncatedSafetensorsFileIsNamed() throws IOException {
        Path weights = model.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> LoadedModel.open(model, ModelTesting.OPS));
        assertEquals(weights, e.file());
    }

    @Test
    void aDirectoryWithoutWeightsIsNamed() throws IOException {
        Files.delete(model.resolve("model.safetensors"));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> LoadedModel.open(model, ModelTesting.OPS));
        assertTrue(e.getMessage().startsWith(model + ": found no"), e.getMessage());
    }

    private void editConfig(Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(model.resolve("config.json").toFile());
        edit.accept(config);
        json.writeValue(model.resolve("config.json").toFile(), config);
    }

    private void rewriteWeights(Consumer<Map<String, Tensor>> edit) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(model)) {
            for (String name : checkpoint.names()) copy.put(name, checkpoint.get(name).copy());
        }
        edit.accept(copy);
        SafetensorsWriter.write(model.resolve("model.safetensors"), copy, Map.of());
    }
}
