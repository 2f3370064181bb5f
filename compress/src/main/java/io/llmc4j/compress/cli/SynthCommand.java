package io.llmc4j.compress.cli;

import io.llmc4j.engine.io.InputOutputOverlap;
import io.llmc4j.engine.models.Architecture;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmc synth}: write a model with deterministic random weights as a Hugging Face checkpoint. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Write a synthetic model (deterministic random weights) as a Hugging Face model directory: config.json, "
                        + "generation_config.json and model.safetensors, or shards plus model.safetensors.index.json above "
                        + "--max-shard-bytes. Tensors are generated and written one at a time, so large presets fit in memory.",
                "The directory is written atomically (a temporary directory beside it, then one rename); it must not exist "
                        + "or be empty."},
        footer = {"", "Example:", "  llmc synth --preset llama-3.2-1b --out llama1b --dtype BF16"})
final class SynthCommand implements Callable<Integer> {
    /** The dtypes synthetic weights come in. */
    enum WeightDType { F32, BF16 }

    @Option(names = "--preset", paramLabel = "NAME", required = true,
            description = "One of: ${COMPLETION-CANDIDATES}; or a config.json (or a model directory holding one) to copy the architecture from.",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Model directory to create.")
    String output;

    @Option(names = "--dtype", paramLabel = "F32|BF16", defaultValue = "F32", description = "Weight dtype (default: ${DEFAULT-VALUE}).")
    WeightDType dtype;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Weight seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-shard-bytes", paramLabel = "N", defaultValue = "5GB", converter = ByteSizeConverter.class,
            description = "Largest shard, in bytes or with a unit (KB, MB, GB, KiB, MiB, GiB) (default: ${DEFAULT-VALUE}, as Hugging Face).")
    long maxShardBytes;

    @ParentCommand
    Llmc root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path out = root.environment().resolve(output);
        boolean named = SyntheticModels.presetNames().contains(preset);
        String source = named ? preset : root.environment().resolve(preset).toString();
        if (!named) InputOutputOverlap.requireApart(out, "--out", false, "--preset", Path.of(source));
        ModelConfig config = SyntheticCheckpoint.resolveConfig(source);
        DType weights = DType.valueOf(dtype.name());
        SyntheticCheckpoint.write(out, config, seed, weights, maxShardBytes);
        long parameters = Architecture.of(config.modelType()).parameterShapes(config).values().stream()
                .mapToLong(dims -> Arrays.stream(dims).reduce(1, Math::multiplyExact)).sum();
        try (Stream<Path> files = Files.list(out)) {
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%s, %d layers, hidden %d, vocab %d, %.1fM parameters, %s, seed %d) to %s: %s%n",
                    preset, config.modelType(), config.numHiddenLayers(), config.hiddenSize(), config.vocabSize(), parameters / 1e6,
                    weights, seed, out, files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        return 0;
    }

    /** The preset names, for --help. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return SyntheticModels.presetNames().iterator();
        }
    }
}
