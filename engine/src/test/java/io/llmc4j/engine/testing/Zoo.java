package io.llmc4j.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The model zoo in {@code shared/models/zoo/}: a tiny random checkpoint per architecture (made with
 * transformers 5.18), with {@code tokens.jsonl} (4 × 64 ids) and transformers' float32 eager logits
 * {@code logits.npy} [4, 64, vocab]. A forward is right when it matches within 1e-4 of the largest
 * logit. Tests skip cleanly when the zoo is absent.
 */
public final class Zoo {
    /** The zoo architectures llmc4j loads, in index.json order. */
    public static final List<String> SUPPORTED = List.of("llama", "mistral", "qwen2", "qwen3", "qwen2_moe", "qwen3_moe", "mixtral", "gemma",
            "gemma2", "gemma3_text", "phi3", "olmo2", "granite", "smollm3", "gpt_oss");
    /** The zoo architectures not supported yet (issue 15's remaining work). */
    public static final List<String> NOT_YET = List.of("deepseek_v3");
    /** Tolerance relative to the largest |logit| of the reference. */
    public static final double TOLERANCE = 1e-4;

    private Zoo() {
    }

    /** {@code shared/models/zoo/<architecture>}, or the test is skipped. */
    public static Path require(String architecture) {
        return SharedFiles.require("models/zoo/" + architecture);
    }

    /** The model names of {@code index.json}, or the test is skipped. */
    public static List<String> indexedModels() throws IOException {
        JsonNode index = new ObjectMapper().readTree(SharedFiles.require("models/zoo/index.json").toFile());
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = index.get("models").fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    /** The token ids of {@code dir/tokens.jsonl}, one row per line. */
    public static long[][] tokens(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<long[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("tokens.jsonl"))) {
            if (line.isBlank()) continue;
            JsonNode ids = json.readTree(line).get("input_ids");
            long[] row = new long[ids.size()];
            for (int i = 0; i < row.length; i++) row[i] = ids.get(i).asLong();
            rows.add(row);
        }
        return rows.toArray(long[][]::new);
    }

    /** transformers' logits [sequences, positions, vocab]. */
    public static Tensor expectedLogits(Path dir) throws IOException {
        return NpyFiles.read(dir.resolve("logits.npy"));
    }

    /** max |actual − expected| / max |expected|. */
    public static double relativeError(float[] actual, float[] expected) {
        if (actual.length != expected.length) throw new AssertionError(actual.length + " logits, expected " + expected.length);
        double worst = 0, largest = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs((double) actual[i] - expected[i]));
            largest = Math.max(largest, Math.abs(expected[i]));
        }
        return worst / largest;
    }
}
