package io.llmc4j.engine.models;

import static io.llmc4j.engine.models.ModelTesting.build;
import static io.llmc4j.engine.models.ModelTesting.edited;
import static io.llmc4j.engine.models.ModelTesting.idsTensor;
import static io.llmc4j.engine.models.ModelTesting.maskTensor;
import static io.llmc4j.engine.models.ModelTesting.maxAbsDiff;
import static io.llmc4j.engine.models.ModelTesting.randomIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every supported architecture against the double-precision {@link ReferenceTransformer}. */
class LlamaFamilyForwardTest {
    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("llama, GQA, 2 layers", SyntheticModels.preset(SyntheticModels.TINY)),
                Arguments.of("llama, tied, llama3 rope scaling", SyntheticModels.preset(SyntheticModels.TINY_LLAMA3)),
                Arguments.of("llama, linear rope scaling", edited(SyntheticModels.TINY, j -> j.putObject("rope_scaling")
                        .put("type", "linear").put("factor", 4.0))),
                Arguments.of("llama, attention and mlp biases", edited(SyntheticModels.TINY, j -> j.put("attention_bias", true)
                        .put("mlp_bias", true))),
                Arguments.of("llama, multi-head (no GQA), 3 layers", edited(SyntheticModels.TINY, j -> j.put("num_key_value_heads", 4)
                        .put("num_hidden_layers", 3))),
                Arguments.of("mistral", SyntheticModels.preset(SyntheticModels.TINY_MISTRAL)),
                Arguments.of("qwen2, q/k/v bias", SyntheticModels.preset(SyntheticModels.TINY_QWEN2)),
                Arguments.of("qwen3, q/k norm, head_dim 24", SyntheticModels.preset(SyntheticModels.TINY_QWEN3)),
                Arguments.of("qwen3 with attention_bias", edited(SyntheticModels.TINY_QWEN3, j -> j.put("attention_bias", true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void matchesDoubleReference(String label, ModelConfig config) {
        long seed = 20240601L + label.hashCode();
        Map<String, Tensor> weights = ModelTesting.weights(config, seed);
        CausalLM model = build(config, weights);
        long[][] ids = randomIds(new Random(seed), 2, 33, config.vocabSize());
        Tensor logits = model.logits(idsTensor(ids), null);
        assertEquals(DType.F32, logits.dtype());
        double diff = maxAbsDiff(logits, new ReferenceTransformer(config, weights).logits(ids, null));
        assertTrue(diff <= TOLERANCE, () -> label + ": max abs diff " + diff + " (seed " + seed + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void rightPaddedBatchMatchesReference(String label, ModelConfig config) {
        long seed = 77L + label.hashCode();
        Map<String, Tensor> weights = ModelTesting.weights(config, seed);
        CausalLM model = build(config, weights);
        long[][] ids = randomIds(new Random(seed), 2, 7, config.vocabSize());
        int[][] mask = {{1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0, 0}};
        double diff = maxAbsDiff(model.logits(idsTensor(ids), maskTensor(mask)), new ReferenceTransformer(config, weights).logits(ids, mask));
        assertTrue(diff <= TOLERANCE, () -> label + ": max abs diff " + diff + " (seed " + seed + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void bf16WeightsMatchReferenceOnTheSameValues(String label, ModelConfig config) {
        long seed = 5L + label.hashCode();
        Map<String, Tensor> weights = SyntheticModels.generate(config, seed, DType.BF16);
        CausalLM model = build(config, weights);
        long[][] ids = randomIds(new Random(seed), 1, 31, config.vocabSize());
        double diff = maxAbsDiff(model.logits(idsTensor(ids), null), new ReferenceTransformer(config, weights).logits(ids, null));
        assertTrue(diff <= TOLERANCE, () -> label + ": max abs diff " + diff + " (seed " + seed + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void singleTokenMatchesReference(String label, ModelConfig config) {
        long seed = 11L + label.hashCode();
        Map<String, Tensor> weights = ModelTesting.weights(config, seed);
        long[][] ids = randomIds(new Random(seed), 3, 1, config.vocabSize());
        double diff = maxAbsDiff(build(config, weights).logits(idsTensor(ids), null), new ReferenceTransformer(config, weights).logits(ids, null));
        assertTrue(diff <= TOLERANCE, () -> label + ": max abs diff " + diff + " (seed " + seed + ")");
    }
}
