package io.llmc4j.compress.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.engine.io.InputOutputOverlap;
import io.llmc4j.engine.io.OverlappingPathsException;
import io.llmc4j.engine.io.safetensors.SafetensorsStreamingWriter;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.MappedPages;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Saves a quantized model as a compressed-tensors checkpoint that vLLM loads (the output of
 * llm-compressor's {@code save_pretrained} with {@code save_compressed=True}):
 *
 * <pre>
 *   outputDir/
 *     model.safetensors | model-0000i-of-0000N.safetensors + model.safetensors.index.json
 *     config.json        the source config + "quantization_config" ({@link QuantizationConfig}), written as
 *                        json.dump(indent=2, sort_keys=True)
 *     recipe.yaml        the recipe text, as given
 *     tokenizer.json, tokenizer_config.json, special_tokens_map.json, generation_config.json,
 *     tokenizer.model, vocab.json, merges.txt, added_tokens.json, chat_template.jinja   (copied when present)
 * </pre>
 *
 * <p>Tensors: every module's parameters in module order under their dotted names; a quantized module
 * (listed in {@code modules}) is written as its group's {@link Compressor} stores it, every other
 * parameter as it is (dtype unchanged). With tied embeddings ({@link CausalLM#tiedEmbeddings()}) no
 * {@code lm_head.weight} is written. Safetensors files carry the metadata {@code {"format": "pt"}}.
 *
 * <p>Streaming: modules are compressed one at a time, in order, and handed to a
 * {@link SafetensorsStreamingWriter}, which writes each shard as soon as it is full and then drops its
 * tensors; so at most one shard's worth of compressed tensors (plus the module being compressed) is in
 * memory. Uncompressed parameters are written from their own memory (views of the mapped source).
 * The resident pages of mapped source tensors are released once read: a compressed module's weight
 * right after its compression, the others once their shard is written.
 *
 * <p>Atomicity: everything is written into a temporary directory beside {@code outputDir}, which is
 * renamed into place only when complete; an existing non-empty {@code outputDir} is refused unless
 * {@link WriteOptions#overwrite()}, and then replaced only after success. On any failure the temporary
 * directory is deleted and {@code outputDir} is as it was. Nothing is ever written into the source
 * directory (an output that is it, lies inside it or contains it on disk is refused: {@link #checkOutput}). Before writing, every quantized
 * module is checked for the parameters its scheme needs. Stateless; the model must not change while
 * it is saved.
 */
public final class CompressedCheckpointWriter {
    /** Files copied from the source directory when present (tokenizer, generation settings). */
    public static final List<String> COPIED_FILES = List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
            "generation_config.json", "tokenizer.model", "vocab.json", "merges.txt", "added_tokens.json", "chat_template.jinja");
    /** The file name of the saved recipe. */
    public static final String RECIPE_FILE = "recipe.yaml";
    /** The file name of the model config. */
    public static final String CONFIG_FILE = "config.json";

    private CompressedCheckpointWriter() {
    }

    /**
     * Writes the compressed checkpoint of {@code model} into {@code outputDir}.
     *
     * @param model        the quantized model (quantized Linears still hold their float {@code weight})
     * @param sourceConfig the config the model was built from; written back with {@code quantization_config}
     * @param sourceDir    the directory the model was loaded from (tokenizer files are copied), or null
     * @param modules      the quantized modules, each with its scheme (one of {@code spec}'s groups)
     * @param spec         config groups, ignore list and KV-cache scheme of {@code quantization_config}
     * @param recipeYaml   the recipe as YAML text, or null to write no recipe
     * @throws FormatException naming the module and parameter when a quantized module lacks a parameter
     *                         or does not fit its scheme, or naming the path when the output is refused
     */
    public static SavedCheckpoint save(CausalLM model, ModelConfig sourceConfig, Path sourceDir, List<QuantizedModuleRef> modules,
                                       QuantizationConfigSpec spec, String recipeYaml, Path outputDir, WriteOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sourceConfig, "sourceConfig");
        Objects.requireNonNull(modules, "modules");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(options, "options");
        Path target = outputDir.toAbsolutePath().normalize();
        Path source = sourceDir == null ? null : sourceDir.toAbsolutePath().normalize();
        checkOutput(sourceDir, outputDir, options);

        QuantizationConfig config = QuantizationConfig.of(spec);
        Map<String, Planned> plan = plan(model, modules, spec, config);
        ObjectNode configTree = sourceConfig.json();
        configTree.set(QuantizationConfig.CONFIG_KEY, config.toJson());
        String configText = PythonJson.dumps(configTree);

        Path temporary = OutputDirectory.createTemporary(target);
        List<String> files = new ArrayList<>();
        try {
            writeTensors(model, plan, temporary, options.maxShardBytes(), files);
            Files.writeString(temporary.resolve(CONFIG_FILE), configText, StandardCharsets.UTF_8);
            files.add(CONFIG_FILE);
            if (recipeYaml != null) {
                Files.writeString(temporary.resolve(RECIPE_FILE), recipeYaml, StandardCharsets.UTF_8);
                files.add(RECIPE_FILE);
            }
            if (source != null) {
                for (String name : COPIED_FILES) {
                    Path file = source.resolve(name);
                    if (Files.isRegularFile(file)) {
                        Files.copy(file, temporary.resolve(name));
                        files.add(name);
                    }
                }
            }
            checkPlacement(sourceDir, outputDir, options);   // again: links or mounts may have changed meanwhile
            OutputDirectory.commit(temporary, target);
        } catch (IOException e) {
            FormatException failure = new FormatException("cannot write the checkpoint into " + temporary + ": " + e, e);
            OutputDirectory.discard(temporary, failure);
            throw failure;
        } catch (RuntimeException | Error e) {
            OutputDirectory.discard(temporary, e);
            throw e;
        }
        return new SavedCheckpoint(target, config.format(), files);
    }

    /** A quantized module with the format its group is stored in. */
    private record Planned(QuantizedModuleRef ref, CompressionFormat format) {
    }

    /**
     * Checks, before any work, that a checkpoint of {@code sourceDir}'s model may be written to
     * {@code outputDir}: the output has a parent, is not a file, is empty unless
     * {@link WriteOptions#overwrite()}, neither is, lies inside nor contains the source directory on
     * disk (symbolic links, {@code ..} and bind mounts resolved: {@link InputOutputOverlap}), and a
     * directory can be created where it goes (its nearest existing ancestor is a writable directory,
     * tried by creating and deleting one).
     *
     * @param sourceDir the model directory, or null
     * @throws FormatException naming the output (and the source) when the output is refused
     */
    public static void checkOutput(Path sourceDir, Path outputDir, WriteOptions options) {
        checkPlacement(sourceDir, outputDir, options);
        OutputDirectory.checkCreatable(outputDir.toAbsolutePath().normalize());
    }

    private static void checkPlacement(Path sourceDir, Path outputDir, WriteOptions options) {
        Path target = outputDir.toAbsolutePath().normalize();
        if (target.getParent() == null) throw new FormatException("output directory " + target + " has no parent directory");
        if (sourceDir != null) {
            try {
                InputOutputOverlap.requireApart(outputDir, "output directory", options.overwrite(), "source model directory", sourceDir);
            } catch (OverlappingPathsException e) {
                throw new FormatException(e.getMessage(), e);
            }
        }
        OutputDirectory.checkTarget(target, options.overwrite());
    }

    /** Checks the quantized modules against the model and the config groups; nothing is computed yet. */
    private static Map<String, Planned> plan(CausalLM model, List<QuantizedModuleRef> modules, QuantizationConfigSpec spec, QuantizationConfig config) {
        Map<String, Planned> plan = new HashMap<>();
        List<String> groupNames = List.copyOf(config.configGroups().keySet());
        for (QuantizedModuleRef ref : modules) {
            Module inModel;
            try {
                inModel = model.submodule(ref.name());
            } catch (IllegalArgumentException e) {
                throw new FormatException("quantized module '" + ref.name() + "' is not part of the model: " + e.getMessage(), e);
            }
            if (inModel != ref.module())
                throw new FormatException("quantized module '" + ref.name() + "' is not the model's module of that name ("
                        + ref.module().typeName() + " given, " + inModel.typeName() + " in the model)");
            int group = groupOf(ref.scheme(), spec.configGroups());
            if (group < 0)
                throw new FormatException("quantized module '" + ref.name() + "' uses a scheme that is none of the config groups: "
                        + ref.scheme().toJson());
            if (model.tiedEmbeddings() && (ref.name().equals("lm_head") || ref.name().equals("model.embed_tokens")))
                throw new FormatException("quantized module '" + ref.name() + "' shares its weight with "
                        + (ref.name().equals("lm_head") ? "model.embed_tokens" : "lm_head")
                        + " (tied embeddings); untie them before quantizing, or ignore it");
            ModuleState.checkQuantizationParameters(ref.name(), ref.module().parameters(), ref.scheme());
            if (plan.put(ref.name(), new Planned(ref, config.formatOf(groupNames.get(group)))) != null)
                throw new FormatException("quantized module '" + ref.name() + "' is listed twice");
        }
        return plan;
    }

    /** The index of the group whose args equal {@code scheme}'s (targets and format aside), or −1. */
    private static int groupOf(QuantizationScheme scheme, List<QuantizationScheme> groups) {
        for (int i = 0; i < groups.size(); i++) {
            QuantizationScheme g = groups.get(i);
            if (Objects.equals(g.weights(), scheme.weights()) && Objects.equals(g.inputActivations(), scheme.inputActivations())
                    && Objects.equals(g.outputActivations(), scheme.outputActivations())) return i;
        }
        return -1;
    }

    private static void writeTensors(CausalLM model, Map<String, Planned> plan, Path directory, long maxShardBytes, List<String> files) {
        boolean tied = model.tiedEmbeddings();
        try (SafetensorsStreamingWriter out = SafetensorsStreamingWriter.open(directory, Map.of("format", "pt"), maxShardBytes)) {
            for (var entry : model.namedModules().entrySet()) {
                String name = entry.getKey();
                Map<String, Tensor> state = entry.getValue().parameters();
                if (state.isEmpty()) continue;
                Planned planned = plan.get(name);
                Map<String, Tensor> stored = planned == null ? state : compress(planned, state);
                if (planned != null) releaseReplaced(state, stored);
                for (var p : stored.entrySet()) {
                    String full = name.isEmpty() ? p.getKey() : name + "." + p.getKey();
                    if (tied && full.equals("lm_head.weight")) continue;
                    out.add(full, p.getValue());
                }
            }
            out.finish().forEach(p -> files.add(p.getFileName().toString()));
        }
    }

    /** Releases the mapped pages of the module's source tensors that compression replaced (read once, not written as they are). */
    private static void releaseReplaced(Map<String, Tensor> state, Map<String, Tensor> stored) {
        Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(stored.values());
        for (Tensor t : state.values()) if (!kept.contains(t)) MappedPages.release(t);
    }

    private static Map<String, Tensor> compress(Planned planned, Map<String, Tensor> state) {
        String name = planned.ref().name();
        try {
            return Compressor.of(planned.format()).compress(name, state, planned.ref().scheme());
        } catch (FormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FormatException("module '" + name + "' cannot be stored as " + planned.format().value() + ": " + e.getMessage(), e);
        }
    }
}
