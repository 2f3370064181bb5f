package io.llmc4j.compress.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.data.CalibrationDataset;
import io.llmc4j.compress.eval.EvalResult;
import io.llmc4j.compress.eval.Evaluator;
import io.llmc4j.compress.eval.ModelLoaders;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.ops.Ops;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmc eval}: perplexity on a token-id dataset, and KL divergence against a reference model. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measure a model's perplexity on a token-id dataset and, with --reference, the mean KL divergence "
                        + "KL(reference || model) of its next-token distributions.",
                "Perplexity is exp of the mean negative log-likelihood over every predicted token; padding is excluded. "
                        + "Checkpoints with a quantization_config are opened with the loader their format needs."},
        footer = {"", "Examples:", "  llmc eval",
                "  llmc eval --model W8A8 --reference MODEL --offset 96 --json"})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", defaultValue = DefaultResources.DEFAULT,
            description = "Model directory (config.json + *.safetensors), or 'default': shared/models/stories260K-hf, "
                    + "else a synthetic tiny model generated once into the cache (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--dataset", paramLabel = "FILE.jsonl", defaultValue = DefaultResources.DEFAULT,
            description = "Token ids, one {\"input_ids\": [...]} per line (optional \"attention_mask\"), or 'default': "
                    + "shared/data/stories260K-samples.jsonl, else ids sampled from the synthetic tiny model (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--reference", paramLabel = "DIR",
            description = "Reference model (e.g. the uncompressed original) for the KL divergence; same vocabulary.")
    String reference;

    @Option(names = "--num-samples", paramLabel = "N", converter = OptionValues.Positive.class, description = "Evaluate at most N sequences (default: all from --offset on).")
    Integer numSamples;

    @Option(names = "--offset", paramLabel = "K", converter = OptionValues.NonNegative.class, defaultValue = "0", description = "Skip the first K sequences (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--max-seq-len", paramLabel = "L", converter = OptionValues.Positive.class, description = "Truncate sequences to their first L tokens (default: no truncation; "
            + "a sequence longer than the model's max_position_embeddings is an error).")
    Integer maxSeqLength;

    @Option(names = "--batch-size", paramLabel = "B", converter = OptionValues.Positive.class, defaultValue = "4", description = "Sequences per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", description = "Print exactly one JSON object: {\"perplexity\": P, \"kl\": K or null, \"tokens\": T, \"sequences\": S}.")
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
        DefaultResources defaults = new DefaultResources(root.environment(), spec.commandLine().getErr());
        Ops ops = kernels.ops();
        Path modelDir = defaults.model(model);
        Path datasetFile = defaults.dataset(dataset, ops);
        Path referenceDir = reference == null ? null : defaults.model(reference);
        try (LoadedModel loaded = ModelLoaders.open(modelDir, ops);
             LoadedModel referenceModel = referenceDir == null ? null : ModelLoaders.open(referenceDir, ops)) {
            if (referenceModel != null && referenceModel.config().vocabSize() != loaded.config().vocabSize())
                throw new IllegalArgumentException("--reference " + referenceDir + " has vocab_size " + referenceModel.config().vocabSize()
                        + " but --model " + modelDir + " has " + loaded.config().vocabSize() + "; KL needs the same vocabulary");
            CalibrationDataset data = referenceModel == null
                    ? TokenDatasets.read(datasetFile, maxSeqLength, offset, numSamples, loaded.config())
                    : TokenDatasets.read(datasetFile, maxSeqLength, offset, numSamples, loaded.config(), referenceModel.config());
            EvalResult result = new Evaluator(batchSize, 0).evaluate(loaded.model(), referenceModel == null ? null : referenceModel.model(), data);
            if (json) out.println(toJson(result));
            else printTable(out, modelDir, referenceDir, datasetFile, result);
        }
        return 0;
    }

    static String toJson(EvalResult result) throws Exception {
        ObjectNode node = new ObjectMapper().createObjectNode();
        putFinite(node, "perplexity", result.perplexity());
        putFinite(node, "kl", result.kl());
        node.put("tokens", result.tokens());
        node.put("sequences", result.sequences());
        return new ObjectMapper().writeValueAsString(node);
    }

    private static void putFinite(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) node.put(key, value);
        else node.putNull(key);
    }

    private void printTable(PrintWriter out, Path modelDir, Path referenceDir, Path datasetFile, EvalResult result) {
        out.printf(Locale.ROOT, "model       %s%n", modelDir);
        out.printf(Locale.ROOT, "reference   %s%n", referenceDir == null ? "none" : referenceDir);
        out.printf(Locale.ROOT, "dataset     %s (from sequence %d)%n", datasetFile, offset);
        out.printf(Locale.ROOT, "sequences   %d%n", result.sequences());
        out.printf(Locale.ROOT, "tokens      %d predicted%n", result.tokens());
        out.printf(Locale.ROOT, "perplexity  %.4f%n", result.perplexity());
        out.printf(Locale.ROOT, "kl          %s%n", result.hasKl() ? String.format(Locale.ROOT, "%.6g nats/token", result.kl()) : "n/a (no --reference)");
    }
}
