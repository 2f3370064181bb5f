package io.llmc4j.engine.models;

import static io.llmc4j.engine.models.ModelTesting.build;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.HookSwitch;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Names, class names, parameter identity, tied embeddings and hooks inside a whole model. */
class ModuleTreeTest {

    @Test
    void namesAndClassNamesFollowHuggingFace() {
        ModelConfig config = SyntheticModels.preset(SyntheticModels.TINY);
        Map<String, Tensor> weights = ModelTesting.weights(config, 1);
        CausalLM model = build(config, weights);
        assertEquals(List.copyOf(weights.keySet()), List.copyOf(model.namedParameters().keySet()));
        assertEquals("model.embed_tokens.weight", model.namedParameters().keySet().iterator().next());
        assertTrue(model.namedParameters().containsKey("model.layers.0.self_attn.q_proj.weight"));
        assertTrue(model.namedParameters().containsKey("model.layers.1.mlp.down_proj.weight"));
        Map<String, Module> modules = model.namedModules();
        assertEquals("LlamaForCausalLM", modules.get("").typeName());
        assertEquals("LlamaModel", modules.get("model").typeName());
        assertEquals("Embedding", modules.get("model.embed_tokens").typeName());
        assertEquals("ModuleList", modules.get("model.layers").typeName());
        assertEquals("LlamaDecoderLayer", modules.get("model.layers.0").typeName());
        assertEquals("LlamaAttention", modules.get("model.layers.0.self_attn").typeName());
        assertEquals("Linear", modules.get("model.layers.0.self_attn.k_proj").typeName());
        assertEquals("LlamaMLP", modules.get("model.layers.1.mlp").typeName());
        assertEquals("LlamaRMSNorm", modules.get("model.layers.1.post_attention_layernorm").typeName());
        assertEquals("LlamaRMSNorm", modules.get("model.norm").typeName());
        assertEquals("LlamaRotaryEmbedding", modules.get("model.rotary_emb").typeName());
        assertEquals("Linear", modules.get("lm_head").typeName());
        assertEquals(15, modules.values().stream().filter(m -> m.typeName().equals("Linear")).count());
        assertEquals(config.numHiddenLayers(), model.model().layers().size());
    }

    @Test
    void otherArchitecturesUseTheirClassNames() {
        for (String preset : List.of(SyntheticModels.TINY_MISTRAL, SyntheticModels.TINY_QWEN2, SyntheticModels.TINY_QWEN3)) {
            ModelConfig config = SyntheticModels.preset(preset);
            CausalLM model = build(config, ModelTesting.weights(config, 1));
            String prefix = switch (config.modelType()) {
                case "mistral" -> "Mistral";
                case "qwen2" -> "Qwen2";
                default -> "Qwen3";
            };
            Map<String, Module> modules = model.namedModules();
            assertEquals(prefix + "ForCausalLM", model.typeName());
            assertEquals(prefix + "DecoderLayer", modules.get("model.layers.1").typeName());
            assertEquals(prefix + "Attention", modules.get("model.layers.1.self_attn").typeName());
            assertEquals(prefix + "RotaryEmbedding", modules.get("model.rotary_emb").typeName());
        }
        CausalLM qwen3 = build(SyntheticModels.preset(SyntheticModels.TINY_QWEN3), ModelTesting.weights(SyntheticModels.preset(SyntheticModels.TINY_QWEN3), 1));
        assertEquals("Qwen3RMSNorm", qwen3.submodule("model.layers.0.self_attn.q_norm").typeName());
        assertArrayEquals(new long[] {24}, qwen3.namedParameters().get("model.layers.0.self_attn.k_norm.weight").shape().toArray());
        assertArrayEquals(new long[] {64, 96}, qwen3.namedParameters().get("model.layers.0.self_attn.o_proj.weight").shape().toArray());
        ModelConfig qwen2 = SyntheticModels.preset(SyntheticModels.TINY_QWEN2);
        Map<String, Tensor> parameters = build(qwen2, ModelTesting.weights(qwen2, 1)).namedParameters();
        assertTrue(parameters.containsKey("model.layers.0.self_attn.q_proj.bias"));
        assertTrue(parameters.containsKey("model.layers.0.self_attn.v_proj.bias"));
        assertFalse(parameters.containsKey("model.layers.0.self_attn.o_proj.bias"));
    }

    @Test
    void parametersAreTheSourceTensorsThemselves() {
        ModelConfig config = SyntheticModels.preset(SyntheticModels.TINY);
        Map<String, Tensor> weights = SyntheticModels.generate(config, 1, DType.BF16);
        CausalLM model = build(config, weights);
        for (var e : model.namedParameters().entrySet()) assertSame(weights.get(e.getKey()), e.getValue(), e.getKey());
    }

    @Test
    void tiedEmbeddingsShareOneTensorUntilOneIsReplaced() {
        ModelConfig config = SyntheticModels.preset(SyntheticModels.TINY_LLAMA3);
        Map<String, Tensor> weights = ModelTesting.weights(config, 1);
        assertFalse(weights.containsKey("lm_head.weight"));
        CausalLM model = build(config, weights);
        assertTrue(model.tiedEmbeddings());
        assertSame(weights.get("model.embed_tokens.weight"), model.submodule("lm_head").parameter("weight"));
        model.submodule("lm_head").setParameter("weight", weights.get("model.embed_tokens.weight").copy());
        assertFalse(model.tiedEmbeddings());
        ModelConfig untied = SyntheticModels.preset(SyntheticModels.TINY);
        assertFalse(build(untied, ModelTesting.weights(untied, 1)).tiedEmbeddings());
    }

    @Test
    void hooksInsideTheModelTakeEffect() {
        ModelConfig config = SyntheticModels.preset(SyntheticModels.TINY);
        Map<String, Tensor> weights = ModelTesting.weights(config, 2);
        CausalLM model = build(config, weights);
        Tensor ids = ModelTesting.idsTensor(ModelTesting.randomIds(new Random(2), 1, 5, config.vocabSize()));
        float[] plain = model.logits(ids, null).toFloatArray();

        List<Tensor> finalHidden = new ArrayList<>();
        try (var _ = model.submodule("model.norm").registerForwardHook((m, in, out) -> {
            finalHidden.add(out);
            return null;
        })) {
            assertArrayEquals(plain, model.logits(ids, null).toFloatArray());
        }
        assertArrayEquals(plain, model.submodule("lm_head").call(finalHidden.getFirst()).toFloatArray());

        // Zeroing o_proj's input through a pre-hook equals zeroing o_proj's weight.
        Module oProj = model.submodule("model.layers.1.self_attn.o_proj");
        float[] hooked;
        try (var _ = oProj.registerForwardPreHook((m, in) -> new Tensor[] {Tensor.allocate(DType.F32, in[0].shape().toArray())})) {
            hooked = model.logits(ids, null).toFloatArray();
            try (var _ = HookSwitch.disable()) {
                assertArrayEquals(plain, model.logits(ids, null).toFloatArray());
            }
        }
        assertNotEquals(plain[0], hooked[0]);
        Tensor original = oProj.parameter("weight");
        oProj.setParameter("weight", Tensor.allocate(DType.F32, original.shape().toArray()));
        assertArrayEquals(hooked, model.logits(ids, null).toFloatArray());
        oProj.setParameter("weight", original);
        assertArrayEquals(plain, model.logits(ids, null).toFloatArray());

        // A decoder layer's output hook replaces what the next layer sees.
        try (var _ = model.submodule("model.layers.1").registerForwardHook((m, in, out) -> in[0])) {
            Tensor skipLayer1 = model.logits(ids, null);
            List<Tensor> layer0Out = new ArrayList<>();
            try (var _ = model.submodule("model.layers.0").registerForwardHook((m, in, out) -> {
                layer0Out.add(out);
                return null;
            })) {
                assertArrayEquals(skipLayer1.toFloatArray(), model.logits(ids, null).toFloatArray());
            }
            Tensor expected = model.submodule("lm_head").call(model.submodule("model.norm").call(layer0Out.getFirst()));
            assertArrayEquals(expected.toFloatArray(), skipLayer1.toFloatArray());
        }
    }

    @Test
    void replacingAChildTakesEffect() {
        ModelConfig config = SyntheticModels.preset(SyntheticModels.TINY);
        Map<String, Tensor> weights = ModelTesting.weights(config, 4);
        CausalLM model = build(config, weights);
        Tensor ids = ModelTesting.idsTensor(ModelTesting.randomIds(new Random(4), 1, 4, config.vocabSize()));
        Module mlp = model.submodule("model.layers.0.mlp");
        Tensor down = mlp.submodule("down_proj").parameter("weight");
        mlp.replaceChild("down_proj", new Linear(ModelTesting.OPS, Tensor.allocate(DType.F32, down.shape().toArray()), null));
        float[] replaced = model.logits(ids, null).toFloatArray();
        Map<String, Tensor> zeroed = new java.util.LinkedHashMap<>(weights);
        zeroed.put("model.layers.0.mlp.down_proj.weight", Tensor.allocate(DType.F32, down.shape().toArray()));
        assertArrayEquals(build(config, zeroed).logits(ids, null).toFloatArray(), replaced);
    }
}
