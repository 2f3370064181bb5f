package io.llmc4j.compress.cli;

import io.llmc4j.compress.data.Batch;
import io.llmc4j.compress.data.CalibrationDataset;
import io.llmc4j.compress.data.TokenSequence;
import io.llmc4j.compress.eval.ModelLoaders;
import io.llmc4j.engine.io.InputOutputOverlap;
import io.llmc4j.engine.io.npy.NpyWriter;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmc logits}: a model's logits on token-id sequences, as a NumPy .npy array. */
@Command(name = "logits", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run a model on token-id sequences and write its logits as float32 [sequences, positions, vocab] "
                        + "to a NumPy .npy file (version 1.0, C order, little-endian), e.g. to compare with transformers.",
                "All sequences must have the same length: records of unequal length are an error unless --max-seq-len "
                        + "truncates them all to one length (at most the shortest record). The file is written atomically: "
                        + "on any error the output path is left as it was."},
        footer = {"", "Example:", "  llmc logits --tokens ids.jsonl --out l.npy --max-seq-len 64"})
final class LogitsCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", defaultValue = DefaultResources.DEFAULT,
            description = "Model directory, or 'default' (see llmc eval --help) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--tokens", paramLabel = "FILE.jsonl", required = true,
            description = "Token ids, one {\"input_ids\": [...]} per line (optional \"attention_mask\").")
    String tokens;

    @Option(names = "--out", paramLabel = "FILE.npy", required = true, description = "Output file; its directory must exist.")
    String output;

    @Option(names = "--max-seq-len", paramLabel = "L", converter = OptionValues.Positive.class, description = "Truncate every sequence to its first L tokens.")
    Integer maxSeqLength;

    @Option(names = "--limit", paramLabel = "N", converter = OptionValues.Positive.class, description = "Use only the first N sequences (default: all).")
    Integer limit;

    @Option(names = "--batch-size", paramLabel = "B", converter = OptionValues.Positive.class, defaultValue = "4", description = "Sequences per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    KernelOptions kernels;

    @ParentCommand
    Llmc root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CliEnvironment environment = root.environment();
        Path out = environment.resolve(output);
        Path directory = out.getParent();
        if (directory == null || !Files.isDirectory(directory))
            throw new IllegalArgumentException(out + ": the output directory " + directory + " does not exist");
        if (Files.isDirectory(out)) throw new IllegalArgumentException(out + ": is a directory; --out names the .npy file to write");
        Ops ops = kernels.ops();
        Path modelDir = new DefaultResources(environment, spec.commandLine().getErr()).model(model);
        Path tokenFile = environment.resolve(tokens);
        InputOutputOverlap.requireApart(out, "--out", false, List.of(new InputOutputOverlap.Input("--model directory", modelDir),
                new InputOutputOverlap.Input("--tokens", tokenFile)));
        try (LoadedModel loaded = ModelLoaders.open(modelDir, ops)) {
            CalibrationDataset data = TokenDatasets.read(tokenFile, maxSeqLength, 0, limit, loaded.config());
            int length = equalLength(data);
            long vocab = loaded.config().vocabSize();
            try (NpyWriter writer = NpyWriter.create(out, DType.F32, data.size(), length, vocab)) {
                for (Batch batch : data.batches(batchSize, 0)) {
                    Tensor logits = loaded.model().logits(batch.inputIds(), batch.attentionMask());
                    writer.append(logits);
                }
                writer.commit();
            }
            spec.commandLine().getOut().printf("wrote logits F32[%d, %d, %d] of %s to %s%n", data.size(), length, vocab, modelDir, out);
        }
        return 0;
    }

    /** The common length of every sequence, or an error naming the first record that differs. */
    private int equalLength(CalibrationDataset data) {
        int length = data.get(0).length();
        int shortest = data.sequences().stream().mapToInt(TokenSequence::length).min().orElseThrow();
        for (TokenSequence s : data.sequences()) {
            if (s.length() != length)
                throw new IllegalArgumentException(s.origin() + ": sequence has " + s.length() + " tokens but " + data.get(0).origin()
                        + " has " + length + "; logits needs sequences of equal length: pass --max-seq-len " + shortest
                        + " (the shortest) or less to truncate them all" + (maxSeqLength == null ? "" : " (got --max-seq-len " + maxSeqLength + ")"));
        }
        return length;
    }
}
