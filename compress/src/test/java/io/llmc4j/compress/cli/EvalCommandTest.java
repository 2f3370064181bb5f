package io.llmc4j.compress.cli;

import static io.llmc4j.compress.cli.CliTesting.run;
import static io.llmc4j.compress.cli.CliTesting.tinyModel;
import static io.llmc4j.compress.cli.CliTesting.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.cli.CliTesting.CliResult;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Perplexity;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    static Path shared;
    static Path model;
    static Path data;

    @TempDir
    Path root;

    private static final long[][] ROWS = {{1, 17, 200, 3, 9, 44, 8}, {1, 255, 0, 12}, {1, 2, 3, 4, 5}, {1, 90, 91}, {1, 33, 34, 35, 36, 37}};

    @BeforeAll
    static void writeModelAndData() {
        model = tinyModel(shared.resolve("tiny"));
        data = tokens(shared.resolve("ids.jsonl"), ROWS);
    }

    private static JsonNode parseSingleObject(CliResult result) throws IOException {
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(1, result.out().lines().count(), result::toString);
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertTrue(json.isObject(), result::toString);
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) keys.add(it.next());
        assertEquals(List.of("perplexity", "kl", "tokens", "sequences"), keys);
        return json;
    }

    @Test
    void jsonIsOneObjectWithThePooledPerplexityOfEverySequence() throws IOException {
        CliResult result = run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--dataset", data.toString(),
                "--batch-size", "2", "--json");
        JsonNode json = parseSingleObject(result);
        assertTrue(json.get("kl").isNull());
        assertEquals(5, json.get("sequences").asInt());
        assertEquals(6 + 3 + 4 + 2 + 5, json.get("tokens").asLong());
        try (LoadedModel loaded = CliTesting.open(model)) {
            double expected = Perplexity.of(loaded.model(), List.of(ROWS)).value();
            assertEquals(expected, json.get("perplexity").asDouble(), expected * 1e-6);
        }
        assertEquals("", result.err(), "explicit paths print no notes");
    }

    @Test
    void aModelAgainstItselfHasKlZero() throws IOException {
        JsonNode json = parseSingleObject(run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--reference", model.toString(),
                "--dataset", data.toString(), "--json"));
        assertEquals(0.0, json.get("kl").asDouble());
    }

    @Test
    void anotherModelHasPositiveKl() throws IOException {
        Path other = SyntheticCheckpoint.write(root.resolve("other"), SyntheticModels.TINY, 8, DType.F32, Long.MAX_VALUE);
        JsonNode json = parseSingleObject(run(CliTesting.isolated(root), "eval", "--model", other.toString(), "--reference", model.toString(),
                "--dataset", data.toString(), "--json"));
        assertTrue(json.get("kl").asDouble() > 0.01, json::toString);
    }

    @Test
    void offsetAndNumSamplesSelectAWindow() throws IOException {
        JsonNode json = parseSingleObject(run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--dataset", data.toString(),
                "--offset", "1", "--num-samples", "2", "--json"));
        assertEquals(2, json.get("sequences").asInt());
        assertEquals(3 + 4, json.get("tokens").asLong());
        try (LoadedModel loaded = CliTesting.open(model)) {
            double expected = Perplexity.of(loaded.model(), List.of(ROWS[1], ROWS[2])).value();
            assertEquals(expected, json.get("perplexity").asDouble(), expected * 1e-6);
        }
    }

    @Test
    void anOffsetPastTheEndIsBadInput() {
        CliResult result = run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--dataset", data.toString(), "--offset", "5");
        BadInputTest.assertOneError(result, "eval", data + ": --offset 5 is past the end of the dataset (5 sequences)");
    }

    @Test
    void theDefaultOutputIsAReadableTable() {
        CliResult result = run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--dataset", data.toString(), "--max-seq-len", "3");
        assertEquals(0, result.exitCode(), result::toString);
        List<String> lines = result.out().lines().toList();
        assertEquals(7, lines.size(), result::toString);
        assertTrue(lines.get(0).startsWith("model       " + model), result::toString);
        assertTrue(lines.get(1).endsWith("none"), result::toString);
        assertTrue(lines.get(4).matches("tokens +" + (2 + 2 + 2 + 2 + 2) + " predicted"), result::toString);
        assertTrue(lines.get(5).matches("perplexity +\\d+\\.\\d{4}"), result::toString);
        assertTrue(lines.get(6).contains("no --reference"), result::toString);
    }

    @Test
    void aReferenceWithAnotherVocabularyIsRefused() {
        var json = SyntheticModels.preset(SyntheticModels.TINY).json().put("vocab_size", 300);
        Path other = SyntheticCheckpoint.write(root.resolve("other"), ModelConfig.fromJson(json, "test"), 1, DType.F32, Long.MAX_VALUE);
        CliResult result = run(CliTesting.isolated(root), "eval", "--model", model.toString(), "--reference", other.toString(),
                "--dataset", data.toString());
        BadInputTest.assertOneError(result, "eval", "--reference " + other + " has vocab_size 300 but --model " + model + " has 256");
    }
}
