package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real trained tiny Llama from {@code shared/models/stories260K-hf}, opened with
 * {@link LoadedModel} (mapped safetensors), against the double-precision reference on sampled data.
 * Skipped when shared/ is absent.
 */
class Stories260KTest {
    private static LoadedModel loaded;
    private static ModelConfig config;
    private static Map<String, Tensor> weights;
    private static CausalLM model;
    private static long[] sample;
    private static Tensor logits;
    private static double[][] referenceLogits;

    @BeforeAll
    static void load() throws IOException {
        Path dir = SharedFiles.require("models/stories260K-hf");
        Path data = SharedFiles.require("data/stories260K-samples.jsonl");
        loaded = LoadedModel.open(dir, ModelTesting.OPS);
        config = loaded.config();
        model = loaded.model();
        weights = new LinkedHashMap<>();
        for (String name : loaded.weights().names()) weights.put(name, loaded.weights().get(name));
        JsonNode first = new ObjectMapper().readTree(Files.readAllLines(data).getFirst()).get("input_ids");
        sample = new long[128];
        for (int i = 0; i < sample.length; i++) sample[i] = first.get(i).asLong();
        logits = model.logits(Tensor.ofLongs(sample, 1, sample.length), null);
        referenceLogits = new ReferenceTransformer(config, weights).logits(new long[][] {sample}, null)[0];
    }

    @AfterAll
    static void close() {
        if (loaded != null) loaded.close();
    }

    @Test
    void configIsTheDocumentedShape() {
        assertEquals("llama", config.modelType());
        assertEquals(64, config.hiddenSize());
        assertEquals(172, config.intermediateSize());
        assertEquals(5, config.numHiddenLayers());
        assertEquals(8, config.numAttentionHeads());
        assertEquals(4, config.numKeyValueHeads());
        assertEquals(8, config.headDim());
        assertEquals(512, config.vocabSize());
        assertTrue(config.tieWordEmbeddings());
        assertTrue(model.tiedEmbeddings());
        assertEquals(1, sample[0], "samples start with BOS");
    }

    @Test
    void logitsMatchDoubleReferenceOnFirst128Tokens() {
        double diff = ModelTesting.maxAbsDiff(logits, new double[][][] {referenceLogits});
        assertTrue(diff <= 1e-4, () -> "max abs diff " + diff);
    }

    @Test
    void perplexityOnItsOwnSampleIsLowAndMatchesReference() {
        Perplexity ppl = Perplexity.fromLogits(logits.select(0, 0), sample);
        assertEquals(127, ppl.predictedTokens());
        double[][] ref = referenceLogits;
        double nll = 0;
        for (int i = 0; i + 1 < sample.length; i++) {
            double max = Arrays.stream(ref[i]).max().orElseThrow(), sum = 0;
            for (double v : ref[i]) sum += Math.exp(v - max);
            nll += max + Math.log(sum) - ref[i][(int) sample[i + 1]];
        }
        double expected = Math.exp(nll / 127);
        assertEquals(expected, ppl.value(), expected * 1e-5);
        assertTrue(ppl.value() > 1 && ppl.value() < 100, () -> "perplexity " + ppl.value() + " of the model on its own sample");
    }

    @Test
    void greedyDecodingFromBosIsDeterministicAndMatchesReferenceArgmax() {
        long[] first = Generation.greedy(model, new long[] {1}, 16);
        long[] second = Generation.greedy(model, new long[] {1}, 16);
        assertArrayEquals(first, second);
        assertEquals(17, first.length);
        assertEquals(1, first[0]);
        ReferenceTransformer reference = new ReferenceTransformer(config, weights);
        double[][] ref = reference.logits(new long[][] {Arrays.copyOf(first, first.length - 1)}, null)[0];
        for (int i = 0; i < ref.length; i++) {
            int best = 0;
            for (int v = 1; v < ref[i].length; v++) if (ref[i][v] > ref[i][best]) best = v;
            double margin = Double.POSITIVE_INFINITY;
            for (int v = 0; v < ref[i].length; v++) if (v != best) margin = Math.min(margin, ref[i][best] - ref[i][v]);
            assertTrue(margin > 1e-3, "near tie at step " + i + ": greedy choice would be fragile");
            assertEquals(best, first[i + 1], "step " + i + " of " + Arrays.toString(first));
        }
        assertFalse(Arrays.stream(first).skip(1).allMatch(t -> t == first[1]), () -> "degenerate output " + Arrays.toString(first));
    }
}
