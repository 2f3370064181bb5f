package io.llmc4j.engine.models;

import io.llmc4j.engine.io.IoReasons;
import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model opened from a Hugging Face model directory: its {@link ModelConfig}, the
 * {@link CausalLM} built from it, and the {@link TensorSource} whose memory the model's parameters
 * view.
 *
 * <pre>
 *   DIR/config.json          -> ModelConfig.read          (model_type checked before any weight is mapped)
 *   DIR/*.safetensors (+idx) -> SafetensorsCheckpoint     (mmap'd read-only into one shared arena)
 *                            -> Models.build              (parameters are views: no copy, no conversion)
 * </pre>
 *
 * <p>Ownership: this object owns the weights; {@link #close()} closes them (for a safetensors
 * checkpoint, unmaps every file), after which the model must not be run. Opening is all or nothing:
 * on any error whatever was mapped is unmapped. Running the model is as thread-safe as the model.
 *
 * <p>Errors name the path and the key or tensor: {@link ModelLoadException} for the directory and
 * config.json as files, {@link ModelConfigException} for config.json contents (unknown
 * {@code model_type} included), {@code SafetensorsException} for malformed weight files, and
 * {@link IllegalArgumentException} naming the tensor for a missing tensor or a shape that does not
 * match the config.
 */
public final class LoadedModel implements AutoCloseable {
    private final Path directory;
    private final ModelConfig config;
    private final CausalLM model;
    private final TensorSource weights;

    /** Wraps a model built from {@code weights}; takes ownership of {@code weights}. */
    public LoadedModel(Path directory, ModelConfig config, CausalLM model, TensorSource weights) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.config = Objects.requireNonNull(config, "config");
        this.model = Objects.requireNonNull(model, "model");
        this.weights = Objects.requireNonNull(weights, "weights");
    }

    /** Opens the plain (unquantized) model in {@code directory}, computing through {@code ops}. */
    public static LoadedModel open(Path directory, Ops ops) {
        return open(directory, readConfig(directory), ops);
    }

    /** Opens the weights of {@code directory} and builds the model {@code config} describes. */
    public static LoadedModel open(Path directory, ModelConfig config, Ops ops) {
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(directory);
        try {
            return new LoadedModel(directory, config, Models.build(config, checkpoint, ops), checkpoint);
        } catch (RuntimeException | Error e) {
            checkpoint.close();
            throw e;
        }
    }

    /**
     * Checks that {@code directory} is a readable directory and parses its {@code config.json},
     * including whether its {@code model_type} is supported.
     */
    public static ModelConfig readConfig(Path directory) {
        if (!Files.exists(directory)) throw new ModelLoadException(directory, "model directory does not exist");
        if (!Files.isDirectory(directory))
            throw new ModelLoadException(directory, "expected a model directory (config.json + *.safetensors), found a file");
        if (!Files.isReadable(directory)) throw new ModelLoadException(directory, "model directory is not readable");
        Path file = directory.resolve(ModelConfig.FILE_NAME);
        if (!Files.isRegularFile(file))
            throw new ModelLoadException(file, "not found; a Hugging Face model directory needs " + ModelConfig.FILE_NAME);
        ModelConfig config;
        try {
            config = ModelConfig.read(file);
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot be read: " + IoReasons.of(e), e);
        }
        try {
            Architecture.of(config.modelType());
        } catch (ModelConfigException e) {
            throw e.withOrigin(file.toString());
        }
        return config;
    }

    /** The model directory. */
    public Path directory() {
        return directory;
    }

    public ModelConfig config() {
        return config;
    }

    /** The model; valid until {@link #close()}. */
    public CausalLM model() {
        return model;
    }

    /** The tensors the model was built from; valid until {@link #close()}. */
    public TensorSource weights() {
        return weights;
    }

    @Override
    public void close() {
        weights.close();
    }

    @Override
    public String toString() {
        return "LoadedModel[" + config.modelType() + " from " + directory + "]";
    }
}
