package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.testing.SharedFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultResourcesTest {
    @TempDir
    Path root;

    @Test
    void withoutSharedTheDefaultsAreGeneratedOnceIntoTheCacheAndSaidSo() throws IOException {
        CliEnvironment environment = CliTesting.isolated(root);
        CliResult first = run(environment, "eval", "--json", "--batch-size", "8");
        assertEquals(0, first.exitCode(), first::toString);
        Path cache = root.resolve("cache");
        assertTrue(first.err().contains("--model default: no shared/ folder found; generated synthetic model 'tiny' (seed 0) at " + cache.resolve("tiny")),
                first::toString);
        assertTrue(first.err().contains("sampled 8 sequences of 16 tokens from " + cache.resolve("tiny")), first::toString);
        JsonNode json = new ObjectMapper().readTree(first.out());
        assertEquals(8, json.get("sequences").asInt());
        assertEquals(8 * 15, json.get("tokens").asLong());
        double perplexity = json.get("perplexity").asDouble();
        assertTrue(perplexity > 1 && perplexity < 256, "a model on its own samples beats the uniform 256: " + perplexity);
        assertEquals(List.of("tiny", "tiny-samples.jsonl"), CliTesting.listing(cache));

        CliResult second = run(environment, "eval", "--json", "--batch-size", "8");
        assertEquals(first.out(), second.out());
        assertTrue(second.err().contains("--model default: no shared/ folder found; using synthetic model 'tiny' at " + cache.resolve("tiny")),
                second::toString);
        assertTrue(second.err().contains("--dataset default: no shared/ folder found; using " + cache.resolve("tiny-samples.jsonl")), second::toString);
    }

    @Test
    void sharedIsFoundAboveTheWorkingDirectoryAndBesideTheLauncherRepository() throws IOException {
        Path model = Files.createDirectories(root.resolve("shared/models/stories260K-hf"));
        Path deep = Files.createDirectories(root.resolve("repo/a/b"));
        StringWriter notes = new StringWriter();
        DefaultResources fromWorkingDirectory = new DefaultResources(new CliEnvironment(deep, Optional.empty(), root.resolve("cache")), new PrintWriter(notes));
        assertEquals(model, fromWorkingDirectory.model("default"));
        assertTrue(notes.toString().contains("--model default: using " + model + " (stories260K from shared/)"), notes::toString);

        DefaultResources fromLauncher = new DefaultResources(new CliEnvironment(Path.of("/"), Optional.of(root.resolve("repo")), root.resolve("cache")),
                new PrintWriter(new StringWriter()));
        assertEquals(Optional.of(model), fromLauncher.sharedFile(DefaultResources.SHARED_MODEL));

        DefaultResources explicit = new DefaultResources(new CliEnvironment(deep, Optional.empty(), root.resolve("cache")), new PrintWriter(notes));
        assertEquals(deep.resolve("m"), explicit.model("m"), "other values are paths relative to the working directory");
    }

    @Test
    void theCacheFollowsXdgCacheHome() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/x/cache/llmc4j"), CliEnvironment.cacheDirectory(Map.of("XDG_CACHE_HOME", "/x/cache"), home));
        assertEquals(home.resolve(".cache/llmc4j"), CliEnvironment.cacheDirectory(Map.of("XDG_CACHE_HOME", "relative"), home));
        assertEquals(home.resolve(".cache/llmc4j"), CliEnvironment.cacheDirectory(Map.of(), home));
    }

    @Test
    void theLauncherRepositoryIsTheAncestorOfTheClassesHoldingTheLauncher() {
        Optional<Path> repository = CliEnvironment.repositoryOf(Llmc.class);
        assertTrue(repository.isPresent());
        assertTrue(Files.isRegularFile(repository.get().resolve("llmc")), repository::toString);
        assertTrue(Files.isDirectory(repository.get().resolve("compress")), repository::toString);
    }

    /** stories260K on the last 32 samples, truncated to 32 tokens so the scalar reference kernels finish in seconds. */
    @Test
    void stories260KPerplexityOnTheLast32SamplesIsLow() throws IOException {
        SharedFiles.require("models/stories260K-hf");
        SharedFiles.require("data/stories260K-samples.jsonl");
        CliEnvironment repository = new CliEnvironment(Path.of("").toAbsolutePath(), Optional.empty(), root.resolve("cache"));
        CliResult result = run(repository, "eval", "--offset", "96", "--num-samples", "32", "--max-seq-len", "32", "--batch-size", "8", "--json");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.err().contains("(stories260K from shared/)"), result::toString);
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertEquals(32, json.get("sequences").asInt());
        assertEquals(32 * 31, json.get("tokens").asLong());
        double perplexity = json.get("perplexity").asDouble();
        assertTrue(perplexity >= 10 && perplexity <= 40, "stories260K perplexity on its own samples: " + perplexity);
    }
}
