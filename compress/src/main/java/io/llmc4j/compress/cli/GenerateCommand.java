package io.llmc4j.compress.cli;

import io.llmc4j.compress.eval.ModelLoaders;
import io.llmc4j.engine.io.tokenizer.Tokenizer;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Sampling;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmc generate}: continue a prompt greedily or by seeded temperature sampling. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Continue a prompt with a model: greedy decoding by default, or sampling at --temperature with --seed "
                        + "(same seed, same tokens). Stops after --max-new-tokens or at the config's eos_token_id.",
                "Prints the prompt and generated token ids, and their text when the model directory has tokenizer.json."},
        footer = {"", "Examples:", "  llmc generate --prompt-ids 1 --max-new-tokens 20",
                "  llmc generate --model MODEL --prompt-ids 1,403,12 --temperature 0.8 --seed 7"})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", defaultValue = DefaultResources.DEFAULT,
            description = "Model directory, or 'default' (see llmc eval --help) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--prompt-ids", paramLabel = "IDS", split = ",",
            description = "Prompt token ids, comma separated (default: the config's bos_token_id).")
    long[] promptIds;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt text, encoded with the model's tokenizer.json (instead of --prompt-ids).")
    String prompt;

    @Option(names = "--max-new-tokens", paramLabel = "N", converter = OptionValues.NonNegative.class, defaultValue = "32", description = "At most N new tokens (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0", converter = OptionValues.NonNegativeNumber.class,
            description = "0 for greedy decoding, else sample from softmax(logits / T) (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ignore-eos", description = "Do not stop at the config's eos_token_id.")
    boolean ignoreEos;

    @Mixin
    KernelOptions kernels;

    @ParentCommand
    Llmc root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (promptIds != null && prompt != null) throw new ParameterException(spec.commandLine(), "give either --prompt-ids or --prompt, not both");
        PrintWriter out = spec.commandLine().getOut();
        Path modelDir = new DefaultResources(root.environment(), spec.commandLine().getErr()).model(model);
        try (LoadedModel loaded = ModelLoaders.open(modelDir, kernels.ops())) {
            ModelConfig config = loaded.config();
            Path tokenizerFile = modelDir.resolve("tokenizer.json");
            Tokenizer tokenizer = Files.isRegularFile(tokenizerFile) ? Tokenizer.load(tokenizerFile) : null;
            long[] ids = promptIds(config, tokenizer, tokenizerFile);
            Set<Long> stop = ignoreEos ? Set.of() : new HashSet<>(config.eosTokenIds().stream().map(Integer::longValue).toList());
            long[] sequence = Sampling.sample(loaded.model(), ids, maxNewTokens, temperature, seed, stop);
            long[] generated = Arrays.copyOfRange(sequence, ids.length, sequence.length);
            out.println("prompt ids:    " + join(ids));
            out.println("generated ids: " + join(generated));
            if (tokenizer != null) {
                out.println("prompt:        " + tokenizer.decode(toInts(ids)));
                out.println("generated:     " + tokenizer.decode(toInts(generated)));
            }
            String how = temperature == 0 ? "greedy" : "temperature " + temperature + ", seed " + seed;
            boolean stopped = generated.length > 0 && stop.contains(generated[generated.length - 1]);
            out.println("(" + generated.length + " new tokens, " + how + (stopped ? ", stopped at eos" : "") + ")");
        }
        return 0;
    }

    private long[] promptIds(ModelConfig config, Tokenizer tokenizer, Path tokenizerFile) {
        long[] ids;
        if (prompt != null) {
            if (tokenizer == null) throw new IllegalArgumentException(tokenizerFile + ": not found; --prompt needs the model's tokenizer.json (use --prompt-ids)");
            ids = Arrays.stream(tokenizer.encode(prompt)).asLongStream().toArray();
        } else if (promptIds != null) {
            ids = promptIds;
        } else {
            if (config.bosTokenId() == null)
                throw new IllegalArgumentException("no --prompt-ids given and the model's config.json has no bos_token_id to start from");
            ids = new long[] {config.bosTokenId()};
        }
        if (ids.length == 0) throw new IllegalArgumentException("the prompt is empty");
        for (long id : ids)
            if (id < 0 || id >= config.vocabSize())
                throw new IllegalArgumentException("prompt token id " + id + " is outside the model's vocabulary [0, " + config.vocabSize() + ")");
        if ((long) ids.length + maxNewTokens > config.maxPositionEmbeddings())
            throw new IllegalArgumentException("prompt of " + ids.length + " tokens + --max-new-tokens " + maxNewTokens
                    + " exceeds the model's max_position_embeddings " + config.maxPositionEmbeddings());
        return ids;
    }

    private static String join(long[] ids) {
        return String.join(" ", Arrays.stream(ids).mapToObj(Long::toString).toList());
    }

    private static int[] toInts(long[] ids) {
        return Arrays.stream(ids).mapToInt(Math::toIntExact).toArray();
    }
}
