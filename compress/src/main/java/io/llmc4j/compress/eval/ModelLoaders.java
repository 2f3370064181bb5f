package io.llmc4j.compress.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmc4j.compress.format.CompressedCheckpointReader;
import io.llmc4j.compress.format.LoadedCheckpoint;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.ModelConfigException;
import io.llmc4j.engine.ops.Ops;
import java.nio.file.Path;

/**
 * Opens a model directory with the loader its {@code config.json} calls for: a config without
 * {@code quantization_config} holds plain weights ({@link LoadedModel#open}); one with
 * {@code quant_method: compressed-tensors} needs the compressed-tensors reader, which runs the model
 * with its weights decompressed and its activation quantization applied at run time.
 *
 * <p>Stateless; thread-safe.
 */
public final class ModelLoaders {
    /** Plain Hugging Face weights (F32, BF16, F16). */
    static final ModelLoader PLAIN = LoadedModel::open;
    /** compressed-tensors checkpoints: weights decompressed, activation quantization applied at run time. */
    static final ModelLoader COMPRESSED_TENSORS = (directory, config, ops) -> {
        LoadedCheckpoint checkpoint = CompressedCheckpointReader.load(directory, ops);
        return new LoadedModel(directory, checkpoint.config(), checkpoint.model(), checkpoint.weights());
    };

    private ModelLoaders() {
    }

    /** Reads {@code directory}'s config.json and opens the model with the matching loader. */
    public static LoadedModel open(Path directory, Ops ops) {
        ModelConfig config = LoadedModel.readConfig(directory);
        return select(directory, config).load(directory, config, ops);
    }

    /**
     * The loader for a directory whose config is {@code config}.
     *
     * @throws ModelConfigException naming config.json and {@code quantization_config} when its
     *                              {@code quant_method} is not one llmc4j reads
     */
    public static ModelLoader select(Path directory, ModelConfig config) {
        JsonNode quantization = config.json().get("quantization_config");
        if (quantization == null || quantization.isNull()) return PLAIN;
        String method = quantization.path("quant_method").asText("");
        if (method.equals("compressed-tensors")) return COMPRESSED_TENSORS;
        if (method.equals("fp8")) return PLAIN;   // block-quantized FP8 weights are dequantized on load (Models.build)
        throw new ModelConfigException(configFile(directory), "quantization_config",
                "has quant_method \"" + method + "\"; llmc4j reads plain models, FP8 block checkpoints (quant_method fp8) and compressed-tensors checkpoints only");
    }

    private static String configFile(Path directory) {
        return directory.resolve(ModelConfig.FILE_NAME).toString();
    }
}
