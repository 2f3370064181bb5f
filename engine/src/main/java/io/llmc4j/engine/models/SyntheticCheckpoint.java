package io.llmc4j.engine.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.io.IoReasons;
import io.llmc4j.engine.io.TemporaryFiles;
import io.llmc4j.engine.io.safetensors.DeferredTensor;
import io.llmc4j.engine.io.safetensors.SafetensorsShardedWriter;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a synthetic model ({@link SyntheticModels}) as a Hugging Face model directory that
 * {@link LoadedModel#open} and transformers both read:
 * <pre>
 *   DIR/config.json               the preset's config, torch_dtype set to the written dtype
 *   DIR/generation_config.json    bos/eos token ids, as transformers derives it from the config
 *   DIR/model.safetensors         or model-0000K-of-0000N.safetensors + model.safetensors.index.json
 *                                 when the weights exceed maxShardBytes
 * </pre>
 * Streaming: tensors are generated one at a time as the writer reaches them and dropped once written
 * ({@link SafetensorsShardedWriter#writeDeferred}), so heap use is bounded by the largest tensor
 * (Llama-3.2-1B's embedding: 0.5 GiB in BF16), not by the model.
 *
 * <p>Atomic: everything is written into a temporary directory beside the target, forced to disk and
 * moved into place with one rename; on failure the temporary directory is deleted and the target is
 * untouched. The target must not exist, or be an empty directory. Deterministic: the same config,
 * seed and dtype give byte-identical files. Stateless, thread-safe.
 */
public final class SyntheticCheckpoint {
    /** Hugging Face's default {@code max_shard_size} ("5GB"). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SyntheticCheckpoint() {
    }

    /**
     * Writes preset {@code presetOrConfig} ({@link SyntheticModels#presetNames()}), or the model of a
     * config.json file (or of a directory holding one) at that path, with random weights.
     *
     * @throws IllegalArgumentException when the name is neither a preset nor a config.json path
     */
    public static Path write(Path directory, String presetOrConfig, long seed, DType dtype, long maxShardBytes) {
        return write(directory, resolveConfig(presetOrConfig), seed, dtype, maxShardBytes);
    }

    /**
     * Writes {@code config}'s model with weights drawn from {@code seed} in {@code dtype} (F32 or
     * BF16) into {@code directory}, sharded above {@code maxShardBytes} data bytes per file.
     *
     * @return {@code directory}
     * @throws IllegalArgumentException naming the directory when it exists and is not empty, or for a
     *                                  bad dtype or shard size
     * @throws UncheckedIOException     naming the path on an I/O failure
     */
    public static Path write(Path directory, ModelConfig config, long seed, DType dtype, long maxShardBytes) {
        if (dtype != DType.F32 && dtype != DType.BF16)
            throw new IllegalArgumentException("synthetic checkpoints are F32 or BF16, not " + dtype);
        if (maxShardBytes <= 0) throw new IllegalArgumentException("maximum shard size must be positive, got " + maxShardBytes);
        Architecture arch = Architecture.of(config.modelType());
        Path target = directory.toAbsolutePath().normalize();
        requireAbsentOrEmpty(target);
        Path parent = target.getParent();
        Path temporary;
        try {
            Files.createDirectories(parent);
            temporary = TemporaryFiles.createDirectoryBeside(target);
        } catch (IOException e) {
            throw new UncheckedIOException(parent + ": cannot create a temporary directory for " + target.getFileName() + ": " + e, e);
        }
        try {
            writeJson(temporary.resolve(ModelConfig.FILE_NAME), configJson(config, dtype));
            writeJson(temporary.resolve("generation_config.json"), generationConfig(config));
            Map<String, DeferredTensor> tensors = new LinkedHashMap<>();
            arch.parameterShapes(config).forEach((name, dims) -> tensors.put(name,
                    new DeferredTensor(dtype, Shape.of(dims), () -> SyntheticModels.generateTensor(config, name, seed, dtype))));
            SafetensorsShardedWriter.writeDeferred(temporary, tensors, Map.of("format", "pt"), maxShardBytes);
            moveIntoPlace(temporary, target);
            return directory;
        } catch (RuntimeException | Error e) {
            deleteTree(temporary, e);
            throw e;
        }
    }

    /** The config of a preset name, or read from a config.json path (a file, or a directory holding one). */
    public static ModelConfig resolveConfig(String presetOrConfig) {
        if (SyntheticModels.presetNames().contains(presetOrConfig)) return SyntheticModels.preset(presetOrConfig);
        Path path = Path.of(presetOrConfig);
        Path file = Files.isDirectory(path) ? path.resolve(ModelConfig.FILE_NAME) : path;
        if (!Files.isRegularFile(file))
            throw new IllegalArgumentException("'" + presetOrConfig + "' is neither a synthetic model preset " + SyntheticModels.presetNames()
                    + " nor a config.json file or a directory holding one");
        try {
            return ModelConfig.read(file);
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot be read: " + IoReasons.of(e), e);
        }
    }

    private static ObjectNode configJson(ModelConfig config, DType dtype) {
        ObjectNode json = config.json();
        json.put("torch_dtype", dtype == DType.BF16 ? "bfloat16" : "float32");
        return json;
    }

    private static ObjectNode generationConfig(ModelConfig config) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("_from_model_config", true);
        if (config.bosTokenId() != null) json.put("bos_token_id", config.bosTokenId());
        if (config.eosTokenIds().size() == 1) json.put("eos_token_id", config.eosTokenIds().getFirst());
        else if (!config.eosTokenIds().isEmpty()) config.eosTokenIds().forEach(json.withArray("eos_token_id")::add);
        return json;
    }

    private static void requireAbsentOrEmpty(Path target) {
        if (!Files.exists(target)) return;
        if (!Files.isDirectory(target)) throw new IllegalArgumentException(target + ": exists and is a file; expected a new model directory");
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent())
                throw new IllegalArgumentException(target + ": exists and is not empty; choose a new directory or delete it");
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot list the directory: " + e, e);
        }
    }

    private static void writeJson(Path file, ObjectNode json) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) channel.write(bytes);
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e, e);
        }
    }

    private static void moveIntoPlace(Path temporary, Path target) {
        try {
            if (Files.isDirectory(target)) Files.delete(target);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (DirectoryNotEmptyException e) {
            throw new IllegalArgumentException(target + ": became non-empty while the checkpoint was written; nothing was moved there", e);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot move the written checkpoint " + temporary.getFileName() + " into place: " + e, e);
        }
    }

    private static void deleteTree(Path root, Throwable failure) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
