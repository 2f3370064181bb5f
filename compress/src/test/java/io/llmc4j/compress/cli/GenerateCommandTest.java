package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static io.llmc4j.compress.cli.CliTesting.tinyModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.models.Generation;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.Sampling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @TempDir
    static Path shared;
    static Path model;

    @TempDir
    Path root;

    @BeforeAll
    static void writeModel() {
        model = tinyModel(shared.resolve("tiny"));
    }

    private static long[] ids(CliResult result, String label) {
        String line = result.out().lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow(() -> new AssertionError(result));
        String values = line.substring(label.length()).trim();
        return values.isEmpty() ? new long[0] : Arrays.stream(values.split(" ")).mapToLong(Long::parseLong).toArray();
    }

    @Test
    void greedyDecodingPrintsThePromptAndTheGreedyTokens() {
        CliResult result = run(CliTesting.isolated(root), "generate", "--model", model.toString(), "--prompt-ids", "1,40,41",
                "--max-new-tokens", "6", "--ignore-eos");
        assertEquals(0, result.exitCode(), result::toString);
        assertArrayEquals(new long[] {1, 40, 41}, ids(result, "prompt ids:"));
        try (LoadedModel loaded = CliTesting.open(model)) {
            long[] expected = Generation.greedy(loaded.model(), new long[] {1, 40, 41}, 6);
            assertArrayEquals(Arrays.copyOfRange(expected, 3, 9), ids(result, "generated ids:"));
        }
        assertTrue(result.out().contains("(6 new tokens, greedy)"), result::toString);
    }

    @Test
    void seededSamplingIsReproducibleAndMatchesTheLibrary() {
        String[] args = {"generate", "--model", model.toString(), "--max-new-tokens", "8", "--temperature", "0.9", "--seed", "42", "--ignore-eos"};
        CliResult first = run(CliTesting.isolated(root), args);
        CliResult second = run(CliTesting.isolated(root), args);
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(first.out(), second.out());
        assertArrayEquals(new long[] {1}, ids(first, "prompt ids:"), "the prompt defaults to bos_token_id");
        try (LoadedModel loaded = CliTesting.open(model)) {
            long[] expected = Sampling.sample(loaded.model(), new long[] {1}, 8, 0.9, 42, Set.of());
            assertArrayEquals(Arrays.copyOfRange(expected, 1, 9), ids(first, "generated ids:"));
        }
        CliResult otherSeed = run(CliTesting.isolated(root), "generate", "--model", model.toString(), "--max-new-tokens", "8",
                "--temperature", "0.9", "--seed", "43", "--ignore-eos");
        assertFalse(Arrays.equals(ids(first, "generated ids:"), ids(otherSeed, "generated ids:")));
    }

    @Test
    void generationStopsAtTheConfigsEosToken() {
        long firstGreedy;
        try (LoadedModel loaded = CliTesting.open(model)) {
            firstGreedy = Generation.greedy(loaded.model(), new long[] {1}, 1)[1];
        }
        Path copy = tinyModel(root.resolve("eos"));
        CliTesting.editConfig(copy, c -> c.put("eos_token_id", firstGreedy));
        CliResult result = run(CliTesting.isolated(root), "generate", "--model", copy.toString(), "--max-new-tokens", "5");
        assertEquals(0, result.exitCode(), result::toString);
        assertArrayEquals(new long[] {firstGreedy}, ids(result, "generated ids:"));
        assertTrue(result.out().contains("stopped at eos"), result::toString);
    }

    @Test
    void aTokenizerJsonEncodesThePromptAndDecodesTheOutput() throws IOException {
        Path withTokenizer = tinyModel(root.resolve("tok"));
        new ObjectMapper().writeValue(withTokenizer.resolve("tokenizer.json").toFile(), byteLevelTokenizer());
        CliResult result = run(CliTesting.isolated(root), "generate", "--model", withTokenizer.toString(), "--prompt", "hi",
                "--max-new-tokens", "3", "--ignore-eos");
        assertEquals(0, result.exitCode(), result::toString);
        assertArrayEquals(new long[] {'h', 'i'}, ids(result, "prompt ids:"));
        assertTrue(result.out().contains("prompt:        hi"), result::toString);
        assertTrue(result.out().lines().anyMatch(l -> l.startsWith("generated:     ")), result::toString);
    }

    @Test
    void aTextPromptWithoutTokenizerIsBadInput() {
        CliResult result = run(CliTesting.isolated(root), "generate", "--model", model.toString(), "--prompt", "hi");
        BadInputTest.assertOneError(result, "generate", model.resolve("tokenizer.json") + ": not found; --prompt needs the model's tokenizer.json");
    }

    @Test
    void promptIdsOutsideTheVocabularyAreBadInput() {
        CliResult result = run(CliTesting.isolated(root), "generate", "--model", model.toString(), "--prompt-ids", "1,256");
        BadInputTest.assertOneError(result, "generate", "prompt token id 256 is outside the model's vocabulary [0, 256)");
    }

    /** GPT-2's byte-level BPE with the 256 byte tokens and no merges: ids are byte values, as the tiny model's vocabulary. */
    private static ObjectNode byteLevelTokenizer() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode().put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode bpe = root.putObject("model").put("type", "BPE");
        bpe.putNull("dropout");
        bpe.putNull("unk_token");
        bpe.put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", false);
        ObjectNode vocab = bpe.putObject("vocab");
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
            vocab.put(String.valueOf((char) (printable ? b : 256 + shifted++)), b);
        }
        bpe.putArray("merges");
        return root;
    }
}
