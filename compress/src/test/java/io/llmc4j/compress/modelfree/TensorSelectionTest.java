package io.llmc4j.compress.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmc4j.compress.quantization.QuantizationPresets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorSelectionTest {
    private final TensorSelection linear = new TensorSelection(List.of(QuantizationPresets.scheme("W8A16", List.of("Linear"))),
            List.of("lm_head", "re:.*mlp\\.gate$"));

    @Test
    void linearSelectsTwoDimensionalWeightsExceptEmbeddingsNormsAndIgnored() {
        assertEquals(0, linear.groupOf("model.layers.0.self_attn.q_proj.weight", 2));
        assertEquals(0, linear.groupOf("model.layers.0.mlp.experts.3.down_proj.weight", 2));
        assertEquals(-1, linear.groupOf("model.layers.0.self_attn.q_proj.bias", 1));
        assertEquals(-1, linear.groupOf("model.embed_tokens.weight", 2));
        assertEquals(-1, linear.groupOf("transformer.wte.weight", 2));
        assertEquals(-1, linear.groupOf("model.layers.0.input_layernorm.weight", 1));
        assertEquals(-1, linear.groupOf("model.layers.0.self_attn.q_norm.weight", 1));
        assertEquals(-1, linear.groupOf("model.norm.weight", 1));
        assertEquals(-1, linear.groupOf("lm_head.weight", 2));
        assertEquals(-1, linear.groupOf("model.layers.0.mlp.gate.weight", 2));
        assertEquals(0, linear.groupOf("model.layers.0.mlp.gate_proj.weight", 2));
        assertEquals(-1, linear.groupOf("model.layers.0.mlp.experts.gate_up_proj", 3));
    }

    @Test
    void firstMatchingGroupWinsAndExplicitPatternsCanNameEmbeddings() {
        TensorSelection two = new TensorSelection(List.of(QuantizationPresets.scheme("W8A16", List.of("re:.*down_proj$")),
                QuantizationPresets.scheme("FP8_DYNAMIC", List.of("Linear", "re:.*embed_tokens$"))), List.of());
        assertEquals(0, two.groupOf("model.layers.1.mlp.down_proj.weight", 2));
        assertEquals(1, two.groupOf("model.layers.1.mlp.up_proj.weight", 2));
        assertEquals(1, two.groupOf("model.embed_tokens.weight", 2));
    }

    @Test
    void fusedSetsAreCompleteSetsOnly() {
        Map<String, String> sets = FusedSets.of(List.of("a.self_attn.q_proj.weight", "a.self_attn.k_proj.weight", "a.self_attn.v_proj.weight",
                "b.self_attn.q_proj.weight", "b.self_attn.k_proj.weight", "a.mlp.gate_proj.weight", "a.mlp.up_proj.weight",
                "m.experts.0.w1.weight", "m.experts.0.w3.weight", "m.experts.0.gate_proj.weight", "m.experts.0.up_proj.weight"));
        assertEquals(sets.get("a.self_attn.q_proj.weight"), sets.get("a.self_attn.v_proj.weight"));
        assertEquals(sets.get("a.mlp.gate_proj.weight"), sets.get("a.mlp.up_proj.weight"));
        assertEquals(sets.get("m.experts.0.w1.weight"), sets.get("m.experts.0.w3.weight"));
        assertEquals(7, sets.size(), "b's q/k lack v; split experts' gate/up are not directly under mlp: " + sets.keySet());
    }
}
