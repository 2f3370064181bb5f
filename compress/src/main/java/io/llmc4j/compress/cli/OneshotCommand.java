package io.llmc4j.compress.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.data.Batch;
import io.llmc4j.compress.data.CalibrationDataset;
import io.llmc4j.compress.format.CompressedCheckpointWriter;
import io.llmc4j.compress.format.WriteOptions;
import io.llmc4j.compress.modifiers.StandardModifiers;
import io.llmc4j.compress.modifiers.quantization.QuantizationModifier;
import io.llmc4j.compress.modifiers.quantization.QuantizationModifierArgs;
import io.llmc4j.compress.oneshot.ModuleReport;
import io.llmc4j.compress.oneshot.Oneshot;
import io.llmc4j.compress.oneshot.OneshotJob;
import io.llmc4j.compress.oneshot.PipelineKind;
import io.llmc4j.compress.pipelines.IntermediatesCache;
import io.llmc4j.compress.recipe.ModifierRegistry;
import io.llmc4j.compress.recipe.Recipe;
import io.llmc4j.compress.recipe.RecipeModifier;
import io.llmc4j.compress.recipe.RecipeParser;
import io.llmc4j.compress.recipe.RecipeWriter;
import io.llmc4j.engine.io.InputOutputOverlap;
import io.llmc4j.engine.io.TemporaryFiles;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmc oneshot}: apply a recipe (or a preset scheme) with calibration data and write a compressed-tensors checkpoint. */
@Command(name = "oneshot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compress a Hugging Face model into a compressed-tensors checkpoint that vLLM loads: apply a recipe "
                + "(LLM Compressor's YAML/JSON format) or a preset scheme, calibrating with token-id data through the sequential pipeline.",
                "The checkpoint is written to a temporary directory beside --output and moved into place when complete; "
                        + "a JSON run report is written next to it as OUTPUT.report.json."},
        footer = {"", "Examples:", "  llmc oneshot --scheme W8A8 --output out/W8A8",
                "  llmc oneshot --model MODEL --recipe recipe.yaml --dataset calib.jsonl --num-samples 64 --max-seq-len 512 --output out/MODEL-W4A16"})
final class OneshotCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", defaultValue = DefaultResources.DEFAULT,
            description = "Model directory, or 'default' (shared stories260K, else a synthetic tiny model) (default: ${DEFAULT-VALUE}).")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    RecipeChoice recipeChoice;

    static final class RecipeChoice {
        @Option(names = "--recipe", paramLabel = "FILE", description = "Recipe file (.yaml, .yml or .json).")
        Path recipe;

        @Option(names = "--scheme", paramLabel = "NAME", converter = OptionValues.Scheme.class, description = "Preset scheme for a QuantizationModifier: W4A16, W4A16_ASYM, W8A16, W8A8, FP8, FP8_DYNAMIC, ...")
        String scheme;
    }

    @Option(names = "--targets", paramLabel = "PATTERN", split = ",", defaultValue = "Linear",
            description = "With --scheme: modules to quantize (class names, exact names or re:regex) (default: ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--ignore", paramLabel = "PATTERN", split = ",", defaultValue = "lm_head",
            description = "With --scheme: modules left alone (default: ${DEFAULT-VALUE}).")
    List<String> ignore;

    @Option(names = "--dataset", paramLabel = "FILE.jsonl", defaultValue = DefaultResources.DEFAULT,
            description = "Calibration token ids ({\"input_ids\": [...]} per line), 'default', or 'none' for data-free (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--num-samples", paramLabel = "N", converter = OptionValues.Positive.class, defaultValue = "64", description = "Calibration sequences (default: ${DEFAULT-VALUE}).")
    int numSamples;

    @Option(names = "--offset", paramLabel = "K", converter = OptionValues.NonNegative.class, defaultValue = "0", description = "Skip the first K sequences (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--max-seq-len", paramLabel = "L", converter = OptionValues.Positive.class, description = "Truncate calibration sequences to L tokens.")
    Integer maxSeqLength;

    @Option(names = "--batch-size", paramLabel = "B", converter = OptionValues.Positive.class, defaultValue = "1", description = "Sequences per calibration batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--pipeline", paramLabel = "KIND", defaultValue = "auto", converter = OptionValues.Pipeline.class,
            description = "auto, sequential, basic or datafree (default: ${DEFAULT-VALUE}: sequential when the recipe needs calibration data, such as static activation scales, else datafree).")
    PipelineKind pipeline;

    @Option(names = "--sequential-targets", paramLabel = "PATTERN", split = ",",
            description = "Where the sequential pipeline cuts the model (default: inferred, e.g. LlamaDecoderLayer).")
    List<String> sequentialTargets;

    @Option(names = "--targets-per-subgraph", paramLabel = "N", converter = OptionValues.Positive.class, defaultValue = "1", description = "Sequential targets per subgraph (default: ${DEFAULT-VALUE}).")
    int targetsPerSubgraph;

    @Option(names = "--moe-calibrate-all-experts", paramLabel = "BOOL", arity = "1", defaultValue = "true",
            description = "During calibration run every expert of a mixture-of-experts block on every token; the block's output "
                    + "stays the routed one (default: ${DEFAULT-VALUE}).")
    boolean moeCalibrateAllExperts;

    @Option(names = "--offload", paramLabel = "WHERE", defaultValue = "none", converter = OptionValues.OffloadChoice.class,
            description = "Where activations wait between subgraphs: none (heap), off-heap, or disk (memory-mapped temporary files) (default: ${DEFAULT-VALUE}).")
    OptionValues.Offload offload;

    @Option(names = "--output", paramLabel = "DIR", required = true, description = "Directory of the compressed checkpoint.")
    Path output;

    @Option(names = "--overwrite", description = "Replace a non-empty --output (only after the new checkpoint is complete).")
    boolean overwrite;

    @Option(names = "--max-shard-size", paramLabel = "SIZE", defaultValue = "5GB", converter = ByteSizeConverter.class,
            description = "Largest safetensors shard (default: ${DEFAULT-VALUE}).")
    long maxShardBytes;

    @Option(names = "--json", description = "Print the run report as one JSON object on standard output.")
    boolean json;

    @Mixin
    KernelOptions kernels;

    @ParentCommand
    Llmc root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DefaultResources defaults = new DefaultResources(root.environment(), err);
        Path outputDir = root.environment().resolve(output.toString());
        Ops ops = kernels.ops();
        Path modelDir = defaults.model(model);
        Path recipeFile = recipeChoice.recipe == null ? null : root.environment().resolve(recipeChoice.recipe.toString());
        Path datasetFile = "none".equals(dataset) ? null : defaults.dataset(dataset, ops);
        checkOutputs(outputDir, modelDir, recipeFile, datasetFile);
        ModifierRegistry registry = StandardModifiers.registry();
        Recipe recipe = recipe(registry, recipeFile);
        String recipeYaml = new RecipeWriter(registry).toYaml(recipe);
        List<Map<String, Tensor>> batches = batches(datasetFile, modelDir);
        Oneshot.Options options = new Oneshot.Options(pipeline, sequentialTargets, List.of(), targetsPerSubgraph, cache(outputDir))
                .withMoeCalibrateAllExperts(moeCalibrateAllExperts);
        OneshotJob.Result result = OneshotJob.run(modelDir, ops, recipe, recipeYaml, batches, options, outputDir,
                new WriteOptions(maxShardBytes, overwrite), new StderrProgress(err));
        ObjectNode report = report(modelDir, batches.size(), result);
        writeReport(outputDir, report);
        if (json) out.println(new ObjectMapper().writeValueAsString(report));
        else out.printf(Locale.ROOT, "Wrote %s (%s, %d modules quantized) in %.1f s%n", result.checkpoint().directory(),
                result.checkpoint().format().value(), result.modules().size(), result.calibrationSeconds() + result.saveSeconds());
        return 0;
    }

    /**
     * Refuses, before anything is loaded, an output directory or report file that is, lies inside or
     * contains an input on disk (symbolic links and mounts resolved), and an output the checkpoint
     * writer would refuse.
     */
    private void checkOutputs(Path outputDir, Path modelDir, Path recipeFile, Path datasetFile) throws IOException {
        List<InputOutputOverlap.Input> inputs = new ArrayList<>();
        inputs.add(new InputOutputOverlap.Input("--model directory", modelDir));
        if (recipeFile != null) inputs.add(new InputOutputOverlap.Input("--recipe", recipeFile));
        if (datasetFile != null) inputs.add(new InputOutputOverlap.Input("--dataset", datasetFile));
        InputOutputOverlap.requireApart(outputDir, "--output", overwrite, inputs);
        InputOutputOverlap.requireApart(reportFile(outputDir), "run report", false, inputs);
        if (Files.isDirectory(outputDir) && !overwrite && !isEmpty(outputDir))
            throw new IllegalArgumentException(outputDir + ": output directory exists and is not empty; choose another or pass --overwrite");
        CompressedCheckpointWriter.checkOutput(modelDir, outputDir, new WriteOptions(maxShardBytes, overwrite));
    }

    private Recipe recipe(ModifierRegistry registry, Path recipeFile) throws Exception {
        if (recipeFile != null) return new RecipeParser(registry).parse(recipeFile);
        var type = registry.get(QuantizationModifier.NAME, QuantizationModifierArgs.class);
        return Recipe.of(RecipeModifier.of(type, QuantizationModifierArgs.preset(recipeChoice.scheme, targets, ignore)));
    }

    private List<Map<String, Tensor>> batches(Path datasetFile, Path modelDir) throws Exception {
        if (datasetFile == null) return List.of();
        CalibrationDataset data = TokenDatasets.read(datasetFile, maxSeqLength, offset, numSamples, LoadedModel.readConfig(modelDir));
        return data.batches(batchSize, 0).stream().<Map<String, Tensor>>map(Batch::asModelInputs).toList();
    }

    private IntermediatesCache.Options cache(Path outputDir) {
        return switch (offload) {
            case NONE -> IntermediatesCache.Options.inMemory();
            case OFF_HEAP -> new IntermediatesCache.Options(IntermediatesCache.Offload.OFF_HEAP, null, false);
            case DISK -> new IntermediatesCache.Options(IntermediatesCache.Offload.DISK, outputDir.toAbsolutePath().getParent(), true);
        };
    }

    private ObjectNode report(Path modelDir, int batchCount, OneshotJob.Result result) {
        ObjectNode report = new ObjectMapper().createObjectNode();
        report.put("model", modelDir.toString());
        report.put("output", result.checkpoint().directory().toString());
        report.put("format", result.checkpoint().format().value());
        report.put("recipe", recipeChoice.recipe != null ? recipeChoice.recipe.toString() : "scheme " + recipeChoice.scheme);
        report.put("calibration_batches", batchCount);
        report.put("calibration_seconds", result.calibrationSeconds());
        report.put("save_seconds", result.saveSeconds());
        report.put("peak_rss_bytes", ProcessMemory.peakResidentBytes());
        ArrayNode modules = report.putArray("modules");
        for (ModuleReport m : result.modules())
            modules.addObject().put("name", m.name()).put("format", m.format()).put("relative_weight_error", m.relativeWeightError());
        report.putPOJO("ignored", result.ignored());
        ArrayNode files = report.putArray("files");
        result.checkpoint().files().forEach(files::add);
        return report;
    }

    private static Path reportFile(Path outputDir) {
        return outputDir.resolveSibling(outputDir.getFileName() + ".report.json");
    }

    private static void writeReport(Path outputDir, ObjectNode report) throws Exception {
        Path target = reportFile(outputDir);
        Path temporary = TemporaryFiles.createFileBeside(target);
        try {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), report);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
