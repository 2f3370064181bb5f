package io.llmc4j.compress.modifiers.quantization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.core.CompressionSession;
import io.llmc4j.compress.core.StateUpdate;
import io.llmc4j.compress.modifiers.StandardModifiers;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.recipe.Recipe;
import io.llmc4j.compress.recipe.RecipeParser;
import io.llmc4j.compress.recipe.RecipeWriter;
import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import org.junit.jupiter.api.Test;

class QuantizationModifierArgsTest {
    private final RecipeParser parser = new RecipeParser(StandardModifiers.registry());

    private static CausalLM tinyModel() {
        return model("tiny");
    }

    private static CausalLM model(String preset) {
        ModelConfig config = SyntheticModels.preset(preset);
        return Models.build(config, new InMemoryTensorSource("tiny", SyntheticModels.generate(config, 1, DType.F32)), new Ops(new ReferenceKernels()));
    }

    private QuantizationConfigException initializeFails(String modifierBody) {
        return initializeFails(modifierBody, tinyModel());
    }

    private QuantizationConfigException initializeFails(String modifierBody, CausalLM model) {
        Recipe recipe = parser.parseYaml("QuantizationModifier:\n" + modifierBody, "test");
        CompressionSession session = new CompressionSession();
        return assertThrows(QuantizationConfigException.class, () -> session.initialize(recipe, StateUpdate.model(model)));
    }

    @Test
    void unknownPresetListsThePresets() {
        var e = initializeFails("  scheme: W5A16\n  ignore: [lm_head]\n");
        assertTrue(e.getMessage().contains("unknown preset scheme 'W5A16'") && e.getMessage().contains("W8A8"), e.getMessage());
    }

    @Test
    void schemeAndConfigGroupsTogetherAreRefused() {
        var e = initializeFails("  scheme: W8A8\n  config_groups: {g: {targets: [Linear], weights: {num_bits: 8}}}\n");
        assertTrue(e.getMessage().contains("either scheme or config_groups"), e.getMessage());
    }

    @Test
    void aSchemeIsRequired() {
        assertTrue(initializeFails("  ignore: [lm_head]\n").getMessage().contains("a quantization scheme is required"));
    }

    @Test
    void kvCacheSchemeIsRefusedClearly() {
        var e = initializeFails("  scheme: W8A8\n  ignore: [lm_head]\n  kv_cache_scheme: {num_bits: 8, type: float}\n");
        assertEquals("kv_cache_scheme", e.key());
    }

    @Test
    void targetsThatMatchNothingAreAnError() {
        var e = initializeFails("  scheme: W8A8\n  targets: [\"re:.*nonexistent.*\"]\n");
        assertTrue(e.getMessage().contains("no Linear module matches"), e.getMessage());
    }

    @Test
    void aGroupSizeThatDoesNotDivideTheFeaturesIsRefusedNamingTheModule() {
        var e = initializeFails("  ignore: [lm_head]\n  config_groups: {g: {targets: [Linear], weights: {num_bits: 4, strategy: group, group_size: 7}}}\n");
        assertEquals("weights.group_size", e.key());
        assertTrue(e.getMessage().contains("does not divide") && e.getMessage().contains("'model.layers.0.self_attn.q_proj'"), e.getMessage());
    }

    @Test
    void aTiedLmHeadMustBeIgnored() {
        CausalLM tied = model("tiny-llama3");
        assertTrue(tied.tiedEmbeddings());
        var e = initializeFails("  scheme: W8A16\n", tied);
        assertTrue(e.getMessage().contains("lm_head") && e.getMessage().contains("tie_word_embeddings"), e.getMessage());
    }

    @Test
    void presetByTargetsMapAndRecipeRoundTrip() {
        String yaml = "quant_stage:\n  quant_modifiers:\n    QuantizationModifier:\n      ignore: [lm_head]\n      scheme: {W8A16: [\"re:.*mlp.*\"], W8A8: [Linear]}\n";
        Recipe recipe = parser.parseYaml(yaml, "test");
        Recipe again = parser.parseYaml(new RecipeWriter(StandardModifiers.registry()).toYaml(recipe), "written");
        assertEquals(recipe, again);
        CompressionSession session = new CompressionSession();
        session.initialize(again, StateUpdate.model(tinyModel()));
        var modifier = (QuantizationModifier) session.lifecycle().modifiers().getFirst();
        assertEquals(2, modifier.configGroups().size());
        for (var module : modifier.quantizedModules()) {
            boolean mlp = module.name().contains(".mlp.");
            assertEquals(mlp ? null : 8, module.scheme().inputActivations() == null ? null : module.scheme().inputActivations().numBits(), module.name());
        }
    }
}
