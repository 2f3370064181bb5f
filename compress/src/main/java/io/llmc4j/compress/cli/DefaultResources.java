package io.llmc4j.compress.cli;

import io.llmc4j.compress.data.TokenIdsJsonl;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.Sampling;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resolves {@code --model default} and {@code --dataset default}, and paths relative to the working
 * directory. Each resolution of a default prints one note saying what was used.
 *
 * <pre>
 *   --model default    shared/models/stories260K-hf              when a shared/ folder is found
 *                      else CACHE/tiny                            synthetic preset "tiny", seed 0, F32,
 *                                                                 generated on first use
 *   --dataset default  shared/data/stories260K-samples.jsonl     when a shared/ folder is found
 *                      else CACHE/tiny-samples.jsonl              8 sequences of BOS + 15 tokens sampled
 *                                                                 from CACHE/tiny at temperature 1, seed 1234
 * </pre>
 * shared/ is looked for as {@code <ancestor>/shared} of the working directory, then of the
 * launcher's repository (so the repository's sibling {@code ../shared} is found from anywhere
 * inside it). CACHE is {@link CliEnvironment#cacheDirectory()}.
 */
final class DefaultResources {
    static final String DEFAULT = "default";
    static final String SHARED_MODEL = "models/stories260K-hf";
    static final String SHARED_DATASET = "data/stories260K-samples.jsonl";
    static final String SYNTHETIC_PRESET = SyntheticModels.TINY;
    static final long SYNTHETIC_SEED = 0;
    static final String SYNTHETIC_SAMPLES = SYNTHETIC_PRESET + "-samples.jsonl";
    static final int SAMPLE_ROWS = 8;
    static final int SAMPLE_NEW_TOKENS = 15;
    static final long SAMPLE_SEED = 1234;

    private final CliEnvironment environment;
    private final PrintWriter notes;

    DefaultResources(CliEnvironment environment, PrintWriter notes) {
        this.environment = environment;
        this.notes = notes;
    }

    /** The model directory {@code option} names ("default" or a path). */
    Path model(String option) {
        if (!option.equals(DEFAULT)) return environment.resolve(option);
        Optional<Path> shared = sharedFile(SHARED_MODEL);
        if (shared.isPresent()) {
            note("--model default: using " + shared.get() + " (stories260K from shared/)");
            return shared.get();
        }
        return syntheticModel("--model default");
    }

    /** The token-id dataset {@code option} names ("default" or a path); {@code ops} runs the model that samples a synthetic one. */
    Path dataset(String option, Ops ops) {
        if (!option.equals(DEFAULT)) return environment.resolve(option);
        Optional<Path> shared = sharedFile(SHARED_DATASET);
        if (shared.isPresent()) {
            note("--dataset default: using " + shared.get() + " (stories260K samples from shared/)");
            return shared.get();
        }
        Path file = environment.cacheDirectory().resolve(SYNTHETIC_SAMPLES);
        if (Files.isRegularFile(file)) {
            note("--dataset default: no shared/ folder found; using " + file + " (sampled from synthetic model '" + SYNTHETIC_PRESET + "')");
            return file;
        }
        Path model = syntheticModel("--dataset default");
        try (LoadedModel loaded = LoadedModel.open(model, ops)) {
            long bos = loaded.config().bosTokenId() == null ? 1 : loaded.config().bosTokenId();
            long[][] rows = Sampling.sampleRows(loaded.model(), new long[] {bos}, SAMPLE_ROWS, SAMPLE_NEW_TOKENS, 1.0, SAMPLE_SEED);
            TokenIdsJsonl.write(file, List.of(rows));
        }
        note("--dataset default: no shared/ folder found; sampled " + SAMPLE_ROWS + " sequences of " + (SAMPLE_NEW_TOKENS + 1)
                + " tokens from " + model + " (seed " + SAMPLE_SEED + ") into " + file);
        return file;
    }

    /** {@code shared/<relative>} when a shared folder holding it is found. */
    Optional<Path> sharedFile(String relative) {
        Stream<Path> starts = Stream.concat(Stream.of(environment.workingDirectory()), environment.launcherRoot().stream());
        return starts.flatMap(DefaultResources::selfAndAncestors)
                .map(p -> p.resolve("shared").resolve(relative))
                .filter(Files::exists)
                .map(p -> p.toAbsolutePath().normalize())
                .findFirst();
    }

    private Path syntheticModel(String what) {
        Path dir = environment.cacheDirectory().resolve(SYNTHETIC_PRESET);
        if (Files.isRegularFile(dir.resolve("config.json"))) {
            note(what + ": no shared/ folder found; using synthetic model '" + SYNTHETIC_PRESET + "' at " + dir);
            return dir;
        }
        try {
            Files.createDirectories(environment.cacheDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException(environment.cacheDirectory() + ": cannot create the cache directory: " + e, e);
        }
        try {
            SyntheticCheckpoint.write(dir, SYNTHETIC_PRESET, SYNTHETIC_SEED, DType.F32, SyntheticCheckpoint.DEFAULT_MAX_SHARD_BYTES);
        } catch (IllegalArgumentException e) {
            if (!Files.isRegularFile(dir.resolve("config.json"))) throw e;
        }
        note(what + ": no shared/ folder found; generated synthetic model '" + SYNTHETIC_PRESET + "' (seed " + SYNTHETIC_SEED + ") at " + dir);
        return dir;
    }

    private void note(String message) {
        notes.println("llmc: " + message);
        notes.flush();
    }

    private static Stream<Path> selfAndAncestors(Path start) {
        return Stream.iterate(start, p -> p != null, Path::getParent);
    }

}
