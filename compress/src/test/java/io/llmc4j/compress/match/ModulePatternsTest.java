package io.llmc4j.compress.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.testing.TinyModels;
import io.llmc4j.engine.testing.TinyModels.TinyConfig;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModulePatternsTest {
    private static final Module MODEL = new TinyModels.TinyLM(new Ops(new ReferenceKernels()), 1, new TinyConfig(7, 8, 2, 1, 12, 2));

    @Test
    void typeNamesExactNamesAndRegexes() {
        var patterns = ModulePatterns.of("Linear", "lm_head", "re:.*q_proj");
        Module q = MODEL.submodule("model.layers.0.self_attn.q_proj");
        assertTrue(patterns.matches("model.layers.0.self_attn.q_proj", q));
        assertTrue(patterns.matches("model.layers.1.mlp.up_proj", MODEL.submodule("model.layers.1.mlp.up_proj")), "by type name");
        assertFalse(patterns.matches("model.norm", MODEL.submodule("model.norm")));
        assertEquals(List.of("lm_head", "Linear"), patterns.matchingPatterns("lm_head", MODEL.submodule("lm_head")));
        assertEquals(List.of("re:.*q_proj", "Linear"), patterns.matchingPatterns("model.layers.0.self_attn.q_proj", q));
    }

    @Test
    void regexesMatchAtTheStartLikePythonReMatch() {
        var patterns = ModulePatterns.of("re:model\\.layers\\.1");
        assertEquals(Set.of("model.layers.1", "model.layers.1.input_layernorm", "model.layers.1.self_attn",
                        "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.k_proj", "model.layers.1.self_attn.v_proj",
                        "model.layers.1.self_attn.o_proj", "model.layers.1.post_attention_layernorm", "model.layers.1.mlp",
                        "model.layers.1.mlp.gate_proj", "model.layers.1.mlp.up_proj", "model.layers.1.mlp.down_proj"),
                patterns.matchModules(MODEL).keySet());
        assertTrue(ModulePatterns.of("re:layers").matchModules(MODEL).isEmpty(), "not anchored anywhere but the start");
    }

    @Test
    void matchModulesKeepsTreeOrderAndUnmatchedAreReported() {
        var patterns = ModulePatterns.of("TinyDecoderLayer", "Conv2d", "re:nothing.*");
        assertEquals(List.of("model.layers.0", "model.layers.1"), List.copyOf(patterns.matchModules(MODEL).keySet()));
        assertEquals(Set.of("Conv2d", "re:nothing.*"), patterns.unmatched(MODEL));
    }

    @Test
    void badPatternsAreRejectedWithTheirText() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModulePatterns.of("re:("));
        assertTrue(e.getMessage().startsWith("module pattern 're:(' is not a valid regular expression"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModulePatterns.of(""));
        assertTrue(ModulePatterns.of((List<String>) null).isEmpty());
    }
}
