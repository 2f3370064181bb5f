package io.llmc4j.compress.eval;

import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.ops.Ops;
import java.nio.file.Path;

/**
 * Opens one kind of model directory (plain Hugging Face weights, or a compressed-tensors
 * checkpoint) whose config has already been read. {@link ModelLoaders} picks the implementation.
 */
@FunctionalInterface
public interface ModelLoader {
    /**
     * Builds the model in {@code directory} described by {@code config}, computing through {@code ops}.
     * The result owns whatever it mapped or allocated; on failure nothing stays open.
     */
    LoadedModel load(Path directory, ModelConfig config, Ops ops);
}
