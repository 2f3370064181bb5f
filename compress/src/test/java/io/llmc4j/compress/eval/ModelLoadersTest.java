package io.llmc4j.compress.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.ModelConfigException;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoadersTest {
    @TempDir
    Path dir;

    private static ModelConfig withQuantization(String method) {
        ObjectNode json = SyntheticModels.preset(SyntheticModels.TINY).json();
        if (method != null) json.putObject("quantization_config").put("quant_method", method);
        return ModelConfig.fromJson(json, "test");
    }

    @Test
    void aPlainConfigGetsThePlainLoaderWhichOpensTheModel() {
        assertSame(ModelLoaders.PLAIN, ModelLoaders.select(dir, withQuantization(null)));
        Path model = SyntheticCheckpoint.write(dir.resolve("m"), SyntheticModels.TINY, 1, DType.F32, Long.MAX_VALUE);
        try (LoadedModel loaded = ModelLoaders.open(model, new Ops(KernelsFactory.createDefault()))) {
            assertEquals("llama", loaded.config().modelType());
        }
    }

    @Test
    void compressedTensorsSelectsTheCheckpointReader() {
        ModelLoader loader = ModelLoaders.select(dir, withQuantization("compressed-tensors"));
        assertSame(ModelLoaders.COMPRESSED_TENSORS, loader);
        RuntimeException e = assertThrows(RuntimeException.class, () -> loader.load(dir, withQuantization("compressed-tensors"), null));
        assertTrue(e.getMessage().contains(dir.resolve("config.json").toString()), e.getMessage());
    }

    @Test
    void anotherQuantMethodIsNamed() {
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelLoaders.select(dir, withQuantization("awq")));
        assertTrue(e.getMessage().contains("quant_method \"awq\""), e.getMessage());
    }
}
