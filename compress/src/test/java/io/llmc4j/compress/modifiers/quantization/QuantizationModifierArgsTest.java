package io.llmc4j.compress.modifiers.quantization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.core.CompressionSession;
import io.llmc4j.compress.core.StateUpdate;
import io.llmc4j.compress.modifiers.StandardModifiers;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationType;
import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;
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
        var e = initializeFails("  scheme: W5A5\n  ignore: [lm_head]\n");
        assertTrue(e.getMessage().contains("unknown preset scheme 'W5A5'") && e.getMessage().contains("W8A8"), e.getMessage());
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
        var e = initializeFails("  scheme: W8A8\n", tied);
        assertTrue(e.getMessage().contains("lm_head") && e.getMessage().contains("tie_word_embeddings"), e.getMessage());
    }

    @Test
    void presetByTargetsMapAndRecipeRoundTrip() {
        String yaml = "quant_stage:\n  quant_modifiers:\n    QuantizationModifier:\n      ignore: [lm_head]\n      scheme: {FP8_DYNAMIC: [\"re:.*mlp\\\\..*\"], W8A8: [Linear]}\n";
        Recipe recipe = parser.parseYaml(yaml, "test");
        Recipe again = parser.parseYaml(new RecipeWriter(StandardModifiers.registry()).toYaml(recipe), "written");
        assertEquals(recipe, again);
        CompressionSession session = new CompressionSession();
        session.initialize(again, StateUpdate.model(tinyModel()));
        var modifier = (QuantizationModifier) session.lifecycle().modifiers().getFirst();
        assertEquals(2, modifier.configGroups().size());
        for (var module : modifier.quantizedModules()) {
            boolean mlp = module.name().contains(".mlp.");
            assertEquals(mlp ? QuantizationType.FLOAT : QuantizationType.INT, module.scheme().inputActivations().type(), module.name());
        }
    }

    private QuantizationModifier initialize(String modifierBody, CausalLM model) {
        CompressionSession session = new CompressionSession();
        session.initialize(parser.parseYaml("QuantizationModifier:\n" + modifierBody, "test"), StateUpdate.model(model));
        return (QuantizationModifier) session.lifecycle().modifiers().getFirst();
    }

    @Test
    void theIgnoreListNamesEveryUnquantizedLinearInModelOrder() {
        var modifier = initialize("  ignore: [lm_head]\n  scheme: {W8A8: [\"re:.*mlp\\\\.(gate|up)_proj\"]}\n", tinyModel());
        List<String> expected = new java.util.ArrayList<>();
        tinyModel().namedModules().forEach((name, module) -> {
            if (module instanceof io.llmc4j.engine.nn.Linear && !name.endsWith("gate_proj") && !name.endsWith("up_proj")) expected.add(name);
        });
        assertTrue(expected.contains("lm_head") && expected.contains("model.layers.0.self_attn.q_proj"), expected.toString());
        assertEquals(expected, modifier.ignoredModules());
    }

    @Test
    void anEmbeddingTargetFailsBeforeCalibrationNamingTheGroupAndTarget() {
        var e = initializeFails("  ignore: [lm_head]\n  config_groups: {emb: {targets: [Linear, Embedding], weights: {num_bits: 8, strategy: channel}}}\n");
        assertEquals("config_groups.emb.targets", e.key());
        assertTrue(e.getMessage().contains("'emb'") && e.getMessage().contains("[Embedding]") && e.getMessage().contains("model.embed_tokens")
                && e.getMessage().contains("not supported by llmc4j yet"), e.getMessage());
        var other = initializeFails("  ignore: [lm_head]\n  scheme: {W8A8: [\"re:.*mlp.*\"]}\n");
        assertTrue(other.getMessage().contains("'group_0'") && other.getMessage().contains("model.layers.0.mlp"), other.getMessage());
    }

    @Test
    void observerKeysOverrideEveryGroupsObservers() {
        var modifier = initialize("  ignore: [lm_head]\n  scheme: FP8\n  weight_observer: mse\n  input_observer: minmax\n", tinyModel());
        for (var module : modifier.quantizedModules()) {
            assertEquals("mse", module.args(ObservedRole.WEIGHT).observer(), module.name());
            assertEquals("minmax", module.args(ObservedRole.INPUT).observer(), module.name());
        }
        var byMap = initialize("  ignore: [lm_head]\n  scheme: FP8\n  observer: {weights: memoryless_mse}\n", tinyModel());
        assertEquals("memoryless_mse", byMap.quantizedModules().getFirst().args(ObservedRole.WEIGHT).observer());
        assertEquals("static_minmax", byMap.quantizedModules().getFirst().args(ObservedRole.INPUT).observer(), "the preset's input observer stays");
        assertEquals("observer", initializeFails("  scheme: FP8\n  weight_observer: mse\n  observer: {weights: mse}\n").key());
        assertEquals("observer.weight", initializeFails("  scheme: FP8\n  observer: {weight: mse}\n").key());
        var unknown = initializeFails("  ignore: [lm_head]\n  scheme: FP8\n  weight_observer: imatrix_mse\n");
        assertTrue(unknown.getMessage().contains("'imatrix_mse' is not supported by llmc4j yet"), unknown.getMessage());
    }

    @Test
    void bypassDivisibilityChecksSkipsTheGroupSizeCheck() {
        String body = "  ignore: [lm_head]\n  config_groups: {g: {targets: [Linear], weights: {num_bits: 4, strategy: group, group_size: 7}}}\n";
        assertEquals("weights.group_size", initializeFails(body).key());
        CausalLM model = tinyModel();
        long linears = model.namedModules().values().stream().filter(io.llmc4j.engine.nn.Linear.class::isInstance).count();
        assertEquals(linears - 1, initialize(body + "  bypass_divisibility_checks: true\n", model).quantizedModules().size(), "every Linear but lm_head");
    }

    @Test
    void actorderGroupWritesTheUnorderedGroupIndex() {
        var modifier = initialize("  ignore: [lm_head]\n  config_groups: {g: {targets: [Linear], weights: {num_bits: 4, strategy: group, group_size: 4, actorder: group}}}\n",
                tinyModel());
        for (var module : modifier.quantizedModules()) {
            Tensor gIdx = module.module().parameter("weight_g_idx");
            assertEquals(DType.I32, gIdx.dtype(), module.name());
            assertEquals(module.module().parameter("weight").dim(1), gIdx.dim(0), module.name());
            for (long c = 0; c < gIdx.dim(0); c++) assertEquals(-1, gIdx.getFloat(c), module.name() + " column " + c);
        }
        var plain = initialize("  ignore: [lm_head]\n  config_groups: {g: {targets: [Linear], weights: {num_bits: 4, strategy: group, group_size: 4}}}\n", tinyModel());
        assertNull(plain.quantizedModules().getFirst().module().parameter("weight_g_idx"));
    }
}
