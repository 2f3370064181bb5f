package io.llmc4j.compress.cli;

import io.llmc4j.compress.data.CalibrationDataset;
import io.llmc4j.compress.eval.EvalResult;
import io.llmc4j.compress.eval.Evaluator;
import io.llmc4j.compress.eval.ModelLoaders;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.ops.Ops;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code llmc demo}: the main job on the built-in default model — {@code oneshot} with a preset
 * scheme, then {@code eval} of the written checkpoint against the original on held-out sequences.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compress the built-in default model (shared stories260K, else a synthetic tiny model) with a preset scheme, "
                + "write the compressed-tensors checkpoint, load it back and compare it with the original: perplexity and KL on held-out data."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--scheme", paramLabel = "NAME", converter = OptionValues.Scheme.class, defaultValue = "W8A8", description = "Preset scheme (default: ${DEFAULT-VALUE}).")
    String scheme;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "out/demo-W8A8", description = "Checkpoint directory, replaced if present (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--calibration-samples", paramLabel = "N", converter = OptionValues.Positive.class, defaultValue = "32", description = "Calibration sequences from the start of the dataset (default: ${DEFAULT-VALUE}).")
    int calibrationSamples;

    @Option(names = "--eval-samples", paramLabel = "N", converter = OptionValues.Positive.class, defaultValue = "16", description = "Held-out sequences from the end of the dataset (default: ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--max-seq-len", paramLabel = "L", converter = OptionValues.Positive.class, defaultValue = "128", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int maxSeqLength;

    @Mixin
    KernelOptions kernels;

    @ParentCommand
    Llmc root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DefaultResources defaults = new DefaultResources(root.environment(), spec.commandLine().getErr());
        Ops ops = kernels.ops();
        Path modelDir = defaults.model(DefaultResources.DEFAULT);
        Path dataset = defaults.dataset(DefaultResources.DEFAULT, ops);
        CalibrationDataset all = TokenDatasets.read(dataset, maxSeqLength, 0, null, LoadedModel.readConfig(modelDir));
        int total = all.size();
        int calibration = Math.min(calibrationSamples, Math.max(1, total / 2));
        int evaluation = Math.min(evalSamples, total - calibration);
        List<String> args = new ArrayList<>(List.of("oneshot", "--model", modelDir.toString(), "--dataset", dataset.toString(),
                "--scheme", scheme, "--num-samples", String.valueOf(calibration), "--max-seq-len", String.valueOf(maxSeqLength),
                "--output", output, "--overwrite", "--kernels", kernels.kernels));
        int code = spec.commandLine().getParent().execute(args.toArray(String[]::new));
        if (code != 0) return code;
        Path checkpoint = root.environment().resolve(output);
        CalibrationDataset heldOut = new CalibrationDataset(all.sequences().subList(total - evaluation, total));
        Evaluator evaluator = new Evaluator(4, 0);
        try (LoadedModel original = ModelLoaders.open(modelDir, ops); LoadedModel compressed = ModelLoaders.open(checkpoint, ops)) {
            EvalResult base = evaluator.evaluate(original.model(), null, heldOut);
            EvalResult quantized = evaluator.evaluate(compressed.model(), original.model(), heldOut);
            out.printf(Locale.ROOT, "%n%-28s %12s %12s%n", "held-out sequences " + heldOut.size(), "perplexity", "KL (nats)");
            out.printf(Locale.ROOT, "%-28s %12.4f %12s%n", "original", base.perplexity(), "-");
            out.printf(Locale.ROOT, "%-28s %12.4f %12.6f%n", scheme + " (reloaded)", quantized.perplexity(), quantized.kl());
            out.printf(Locale.ROOT, "checkpoint: %s (report: %s.report.json)%n", checkpoint, checkpoint);
        }
        return 0;
    }
}
