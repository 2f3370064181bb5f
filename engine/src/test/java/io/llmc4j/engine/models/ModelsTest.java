package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.MapTensorSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Builder errors and source handling. */
class ModelsTest {
    private static final ModelConfig TINY = SyntheticModels.preset(SyntheticModels.TINY);

    private static IllegalArgumentException buildFails(ModelConfig config, Map<String, Tensor> weights) {
        return assertThrows(IllegalArgumentException.class,
                () -> Models.build(config, new MapTensorSource(weights, "/models/x/model.safetensors"), ModelTesting.OPS));
    }

    @Test
    void unknownModelTypeListsTheSupportedOnes() {
        ModelConfig gpt2 = ModelTesting.edited(SyntheticModels.TINY, j -> j.put("model_type", "gpt2"));
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> Models.build(gpt2, new MapTensorSource(Map.of(), "empty"), ModelTesting.OPS));
        assertEquals("model_type", e.key());
        assertTrue(e.getMessage().contains("\"gpt2\"") && e.getMessage().contains("llama, mistral, mixtral, olmo2"), e.getMessage());
        assertEquals(List.of("gemma", "gemma2", "gemma3_text", "gpt_oss", "granite", "llama", "mistral", "mixtral", "olmo2", "phi3", "qwen2", "qwen2_moe",
                "qwen3", "qwen3_moe", "smollm3"), List.copyOf(Architecture.supportedTypes()));
    }

    @Test
    void missingTensorIsNamedWithTheSource() {
        Map<String, Tensor> weights = new LinkedHashMap<>(ModelTesting.weights(TINY, 1));
        weights.remove("model.layers.1.mlp.up_proj.weight");
        String message = buildFails(TINY, weights).getMessage();
        assertTrue(message.contains("'model.layers.1.mlp.up_proj.weight'") && message.contains("/models/x/model.safetensors")
                && message.contains("[172, 64]"), message);
    }

    @Test
    void shapeMismatchNamesExpectedAndFound() {
        Map<String, Tensor> weights = new LinkedHashMap<>(ModelTesting.weights(TINY, 1));
        weights.put("model.layers.0.self_attn.k_proj.weight", Tensor.allocate(DType.F32, 64, 64));
        String message = buildFails(TINY, weights).getMessage();
        assertTrue(message.contains("'model.layers.0.self_attn.k_proj.weight'") && message.contains("[64, 64]")
                && message.contains("expects [32, 64]"), message);
    }

    @Test
    void integerTensorsAreRefused() {
        Map<String, Tensor> weights = new LinkedHashMap<>(ModelTesting.weights(TINY, 1));
        weights.put("model.norm.weight", Tensor.allocate(DType.I8, 64));
        String message = buildFails(TINY, weights).getMessage();
        assertTrue(message.contains("'model.norm.weight'") && message.contains("I8"), message);
    }

    @Test
    void tiedCheckpointIgnoresAStoredLmHeadAndUnusedTensors() {
        ModelConfig tied = SyntheticModels.preset(SyntheticModels.TINY_LLAMA3);
        Map<String, Tensor> weights = new LinkedHashMap<>(ModelTesting.weights(tied, 1));
        Tensor embed = weights.get("model.embed_tokens.weight");
        weights.put("lm_head.weight", embed.copy());
        weights.put("model.layers.0.self_attn.rotary_emb.inv_freq", Tensor.allocate(DType.F32, 8));
        CausalLM model = Models.build(tied, new MapTensorSource(weights, "tied"), ModelTesting.OPS);
        assertSame(embed, model.submodule("lm_head").parameter("weight"));
    }

    @Test
    void parameterShapesCoverEveryArchitecture() {
        ModelConfig qwen3 = SyntheticModels.preset(SyntheticModels.TINY_QWEN3);
        Map<String, long[]> shapes = Architecture.of("qwen3").parameterShapes(qwen3);
        assertArrayEquals(new long[] {96, 64}, shapes.get("model.layers.0.self_attn.q_proj.weight"));
        assertArrayEquals(new long[] {48, 64}, shapes.get("model.layers.0.self_attn.v_proj.weight"));
        assertArrayEquals(new long[] {24}, shapes.get("model.layers.1.self_attn.q_norm.weight"));
        assertArrayEquals(new long[] {256, 64}, shapes.get("lm_head.weight"));
        ModelConfig biased = ModelTesting.edited(SyntheticModels.TINY, j -> j.put("attention_bias", true).put("mlp_bias", true));
        Map<String, long[]> llama = Architecture.of("llama").parameterShapes(biased);
        assertArrayEquals(new long[] {64}, llama.get("model.layers.0.self_attn.o_proj.bias"));
        assertArrayEquals(new long[] {172}, llama.get("model.layers.0.mlp.gate_proj.bias"));
        Map<String, long[]> mistral = Architecture.of("mistral").parameterShapes(biased);
        assertTrue(mistral.keySet().stream().noneMatch(k -> k.endsWith(".bias")), "mistral has no biases");
    }

    @Test
    void aSlidingWindowChangesOnlyPositionsBeyondIt() {
        ModelConfig windowed = ModelTesting.edited(SyntheticModels.TINY_MISTRAL, j -> j.put("sliding_window", 4));
        ModelConfig full = ModelTesting.edited(SyntheticModels.TINY_MISTRAL, j -> j.putNull("sliding_window"));
        var weights = ModelTesting.weights(windowed, 1);
        Tensor ids = Tensor.ofLongs(new long[] {1, 2, 3, 4, 5, 6, 7}, 1, 7);
        float[] slid = ModelTesting.build(windowed, weights).logits(ids, null).toFloatArray();
        float[] causal = ModelTesting.build(full, weights).logits(ids, null).toFloatArray();
        int vocab = windowed.vocabSize();
        for (int i = 0; i < 4 * vocab; i++) assertEquals(causal[i], slid[i], "position " + i / vocab + " sees no more than the window");
        boolean differs = false;
        for (int i = 4 * vocab; i < slid.length; i++) differs |= slid[i] != causal[i];
        assertTrue(differs, "positions past the window see fewer keys");
    }

    @Test
    void inputsAreChecked() {
        CausalLM model = ModelTesting.build(TINY, ModelTesting.weights(TINY, 1));
        assertThrows(IllegalArgumentException.class, () -> model.logits(Tensor.ofLongs(new long[] {1, 2}, 2), null));
        assertThrows(IllegalArgumentException.class, () -> model.logits(Tensor.of(new float[] {1, 2}, 1, 2), null));
        assertThrows(IllegalArgumentException.class,
                () -> model.logits(Tensor.ofLongs(new long[] {1, 2}, 1, 2), Tensor.ofLongs(new long[] {1, 1, 1}, 1, 3)));
    }
}
