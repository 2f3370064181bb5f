package io.llmc4j.compress.modelfree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.format.CompressedCheckpointWriter;
import io.llmc4j.compress.format.CompressionFormat;
import io.llmc4j.compress.format.FormatException;
import io.llmc4j.compress.format.OutputDirectory;
import io.llmc4j.compress.format.PythonJson;
import io.llmc4j.compress.format.QuantizationConfig;
import io.llmc4j.compress.format.QuantizationConfigSpec;
import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.compress.quantization.DynamicMode;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.io.safetensors.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Quantizes a Hugging Face checkpoint without a model definition, shard by shard (LLM Compressor's
 * {@code model_free_ptq}): data-free weight schemes applied tensor by tensor to every safetensors
 * shard of a directory whose architecture need not be known.
 *
 * <pre>
 *   MODEL_DIR/ config.json, shards (.safetensors) [+ index], tokenizer files, ...
 *     │ headers only: split fused 3-D experts, select targets ({@link TensorSelection}), check each
 *     │ target, fused q/k/v and gate/up absmax for NVFP4 global scales ({@link ModelFreePlan})
 *     ▼ --workers shard jobs in parallel ({@link ShardJob}: one tensor at a time)
 *   .OUTPUT.tmp-NNN   same shard names, index (when the input has one), config.json + quantization_config,
 *     │            every other file copied
 *     ▼ renamed into place when complete
 *   OUTPUT/
 * </pre>
 *
 * Schemes: weights are required; activations, when present, must be dynamic (computed at run time),
 * since there is no data to calibrate them (the reference refuses the same). The input directory is
 * only read; an output equal to, inside or containing it is refused; on any failure the temporary
 * directory is deleted and the output left as it was. Stateless.
 */
public final class ModelFreeQuantizer {
    /**
     * @param configGroups schemes in config-group order (the first whose targets match a tensor wins)
     * @param ignore module-name patterns left unquantized (exact names or {@code re:} regexes)
     * @param workers shards processed at the same time (≥ 1)
     * @param overwrite replace a non-empty output (only after the new one is complete)
     */
    public record Options(List<QuantizationScheme> configGroups, List<String> ignore, int workers, boolean overwrite) {
        public Options {
            configGroups = List.copyOf(configGroups);
            ignore = List.copyOf(ignore);
            if (workers < 1) throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
    }

    /** What was written: where, the top-level format, how many tensors were quantized, the files, and the time taken. */
    public record Result(Path directory, CompressionFormat format, int quantizedTensors, List<String> files, double seconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = SafetensorsCheckpoint.INDEX_FILE_NAME;
    private static final String CONFIG = CompressedCheckpointWriter.CONFIG_FILE;

    private ModelFreeQuantizer() {
    }

    /**
     * Quantizes the checkpoint in {@code modelDir} into {@code output}.
     *
     * @throws FormatException naming the file, tensor or path when the input or the output is refused
     * @throws QuantizationConfigException naming the key when a scheme cannot be applied without data
     */
    public static Result run(Path modelDir, Options options, Path output, ProgressSink progress) throws IOException {
        Objects.requireNonNull(progress, "progress");
        long start = System.nanoTime();
        Path source = modelDir.toAbsolutePath().normalize();
        Path target = output.toAbsolutePath().normalize();
        checkPaths(source, target);
        options.configGroups().forEach(ModelFreeQuantizer::checkDataFree);
        QuantizationConfig config = QuantizationConfig.of(new QuantizationConfigSpec(options.configGroups(), options.ignore(), null));
        ObjectNode modelConfig = readConfig(source);
        OutputDirectory.checkTarget(target, options.overwrite());
        ExecutorService workers = Executors.newFixedThreadPool(options.workers(), Thread.ofPlatform().name("quantize-files-", 0).daemon().factory());
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(source)) {
            List<ShardTensors> shards = checkpoint.files().stream().map(ShardTensors::of).toList();
            ModelFreePlan plan = ModelFreePlan.build(shards, config, new TensorSelection(options.configGroups(), options.ignore()), workers);
            if (plan.size() == 0)
                throw new QuantizationConfigException("targets", "no tensor of " + source + " matches the targets "
                        + options.configGroups().stream().map(QuantizationScheme::targets).toList() + " outside ignore " + options.ignore());
            progress.line(String.format(Locale.ROOT, "Quantizing %d tensors in %d shard(s) with %d worker(s)", plan.size(), shards.size(), options.workers()));
            Path temporary = OutputDirectory.createTemporary(target);
            try {
                Result result = write(source, shards, plan, config, modelConfig, temporary, workers, progress);
                OutputDirectory.checkTarget(target, options.overwrite());
                OutputDirectory.commit(temporary, target);
                return new Result(target, config.format(), result.quantizedTensors(), result.files(), (System.nanoTime() - start) / 1e9);
            } catch (IOException e) {
                FormatException failure = new FormatException("cannot write the checkpoint into " + temporary + ": " + e, e);
                OutputDirectory.discard(temporary, failure);
                throw failure;
            } catch (Exception | Error e) {
                OutputDirectory.discard(temporary, e);
                throw e;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            workers.shutdownNow();
        }
    }

    private static Result write(Path source, List<ShardTensors> shards, ModelFreePlan plan, QuantizationConfig config, ObjectNode modelConfig,
                                Path temporary, ExecutorService workers, ProgressSink progress) throws Exception {
        List<String> files = new ArrayList<>();
        Set<Path> shardFiles = new HashSet<>();
        List<Future<ShardJob.Result>> jobs = new ArrayList<>();
        for (ShardTensors shard : shards) {
            SafetensorsFile file = shard.file();
            Path relative = source.relativize(file.path().toAbsolutePath().normalize());
            shardFiles.add(relative);
            Path shardTarget = temporary.resolve(relative.toString());
            Files.createDirectories(shardTarget.getParent());
            jobs.add(workers.submit(() -> new ShardJob(shard, plan, shardTarget.getParent(), shardTarget).run()));
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        long totalBytes = 0;
        int quantized = 0;
        for (int i = 0; i < jobs.size(); i++) {
            ShardJob.Result r = await(jobs.get(i));
            String relative = temporary.relativize(r.file()).toString();
            for (String name : r.tensorNames()) {
                if (weightMap.put(name, relative) != null)
                    throw new FormatException("tensor '" + name + "' is written into two shards (" + weightMap.get(name) + ", " + relative + ")");
            }
            totalBytes += r.dataBytes();
            quantized += r.quantized();
            files.add(relative);
            progress.line(String.format(Locale.ROOT, "  %s: %d tensors quantized (%d/%d shards)", relative, r.quantized(), i + 1, jobs.size()));
        }
        if (shards.size() > 1 || Files.isRegularFile(source.resolve(INDEX))) {
            ObjectNode index = JSON.createObjectNode();
            index.putObject("metadata").put("total_size", totalBytes);
            ObjectNode map = index.putObject("weight_map");
            weightMap.forEach(map::put);
            Files.writeString(temporary.resolve(INDEX), PythonJson.dumps(index) + "\n", StandardCharsets.UTF_8);
            files.add(INDEX);
        }
        if (modelConfig != null) {
            modelConfig.set(QuantizationConfig.CONFIG_KEY, config.toJson());
            Files.writeString(temporary.resolve(CONFIG), PythonJson.dumps(modelConfig), StandardCharsets.UTF_8);
            files.add(CONFIG);
        } else {
            progress.line("No " + CONFIG + " in " + source + "; quantization_config is:\n" + PythonJson.dumps(config.toJson()));
        }
        files.addAll(copyOthers(source, temporary, shardFiles, progress));
        return new Result(temporary, config.format(), quantized, files, 0);
    }

    /** Copies every file of {@code source} except the shards, the index and config.json; returns their relative names. */
    private static List<String> copyOthers(Path source, Path temporary, Set<Path> shardFiles, ProgressSink progress) throws IOException {
        List<String> copied = new ArrayList<>();
        List<Path> all;
        try (var walk = Files.walk(source)) {
            all = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : all) {
            Path relative = source.relativize(file);
            String name = relative.toString();
            if (shardFiles.contains(relative) || name.equals(INDEX) || name.equals(CONFIG)) continue;
            if (name.endsWith(".safetensors")) {
                progress.line("Skipping " + file + ": not part of the checkpoint's index");
                continue;
            }
            Path to = temporary.resolve(name);
            Files.createDirectories(to.getParent());
            Files.copy(file, to);
            copied.add(name);
        }
        return copied;
    }

    private static ObjectNode readConfig(Path source) {
        Path file = source.resolve(CONFIG);
        if (!Files.isRegularFile(file)) return null;
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new FormatException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(tree instanceof ObjectNode object)) throw new FormatException(file + ": expected a JSON object, found " + tree.getNodeType());
        if (object.has(QuantizationConfig.CONFIG_KEY))
            throw new FormatException(file + ": the checkpoint is already quantized (it has a " + QuantizationConfig.CONFIG_KEY
                    + "); quantize-files reads unquantized F32/BF16/F16 checkpoints");
        return object;
    }

    private static void checkPaths(Path source, Path target) {
        if (!Files.isDirectory(source)) throw new FormatException("model directory " + source + " does not exist or is not a directory");
        if (target.getParent() == null) throw new FormatException("output directory " + target + " has no parent directory");
        if (target.equals(source))
            throw new FormatException("output directory " + target + " is the model directory; the input is never written to, choose another");
        if (target.startsWith(source))
            throw new FormatException("output directory " + target + " is inside the model directory " + source
                    + "; the input is never written to, choose a directory outside it");
        if (source.startsWith(target))
            throw new FormatException("output directory " + target + " contains the model directory " + source + "; replacing it would delete the input");
    }

    /** Refuses schemes that need calibration data (the reference: "Model Free PTQ cannot calibrate activations"). */
    private static void checkDataFree(QuantizationScheme scheme) {
        if (scheme.weights() == null)
            throw new QuantizationConfigException("weights", "quantize-files quantizes weights; the scheme for " + scheme.targets() + " has none");
        checkDynamic("input_activations", scheme.inputActivations());
        checkDynamic("output_activations", scheme.outputActivations());
    }

    private static void checkDynamic(String key, QuantizationArgs args) {
        if (args == null || args.dynamic() == DynamicMode.DYNAMIC) return;
        throw new QuantizationConfigException(key, "quantize-files cannot calibrate activations (" + key + " are "
                + (args.dynamic() == DynamicMode.LOCAL ? "dynamic \"local\" with a calibrated global scale" : "static")
                + "); use a scheme with dynamic or no activation quantization (e.g. FP8_DYNAMIC instead of FP8, NVFP4A16 instead of NVFP4), "
                + "or llmc oneshot with calibration data");
    }

    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }
}
