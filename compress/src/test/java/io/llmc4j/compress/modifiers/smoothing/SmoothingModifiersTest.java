package io.llmc4j.compress.modifiers.smoothing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.core.CompressionSession;
import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.modifiers.StandardModifiers;
import io.llmc4j.compress.oneshot.Oneshot;
import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.recipe.Recipe;
import io.llmc4j.compress.recipe.RecipeParser;
import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.Zoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SmoothQuant and AWQ through oneshot: smoothing alone leaves the logits as they were (tiny models
 * built here, every zoo architecture: Gemma's offset norms, Phi-3's fused projections, routers),
 * mappings resolve for every architecture or fail naming {@code mappings}, AWQ runs on MoE models.
 */
class SmoothingModifiersTest {
    private static final Ops OPS = new Ops(KernelsFactory.createDefault());
    private static final String SMOOTH_ONLY = """
            SmoothQuantModifier:
              smoothing_strength: 0.8
            """;
    private static final String AWQ_W4_G16 = """
            quant_stage:
              quant_modifiers:
                AWQModifier: {duo_scaling: both, n_grid: 6}
                QuantizationModifier:
                  ignore: [lm_head]
                  config_groups:
                    group_0:
                      targets: [Linear]
                      weights: {num_bits: 4, type: int, symmetric: false, strategy: group, group_size: 16}
            """;

    /** Zoo architectures without default smoothing mappings yet: recipes must give them. */
    private static final List<String> WITHOUT_DEFAULT_MAPPINGS = List.of("gpt_oss", "deepseek_v3");

    static List<String> architectures() {
        return Zoo.SUPPORTED.stream().filter(a -> !WITHOUT_DEFAULT_MAPPINGS.contains(a)).toList();
    }

    static List<String> architecturesWithoutDefaultMappings() {
        return WITHOUT_DEFAULT_MAPPINGS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architecturesWithoutDefaultMappings")
    void anArchitectureWithoutDefaultMappingsFailsNamingTheRecipeKey(String architecture) throws Exception {
        try (LoadedModel loaded = LoadedModel.open(Zoo.require(architecture), OPS)) {
            QuantizationConfigException awq = assertThrows(QuantizationConfigException.class,
                    () -> MappingResolver.resolve(loaded.model(), null, ArchitectureMappings::awq, ModulePatterns.of(), line -> { }));
            QuantizationConfigException smoothQuant = assertThrows(QuantizationConfigException.class,
                    () -> MappingResolver.resolve(loaded.model(), null, ArchitectureMappings::smoothQuant, ModulePatterns.of(), line -> { }));
            for (QuantizationConfigException e : List.of(awq, smoothQuant))
                assertTrue(e.getMessage().contains("mappings") && e.getMessage().contains("has no default mappings"), e.getMessage());
        }
    }

    @Test
    void smoothingAloneKeepsTheLogitsOfTinyModelsBuiltHere() {
        for (String preset : List.of(SyntheticModels.TINY, SyntheticModels.TINY_QWEN3)) {
            ModelConfig config = SyntheticModels.preset(preset);
            CausalLM model = Models.build(config, new InMemoryTensorSource(preset, SyntheticModels.generate(config, 7, DType.F32)), OPS);
            assertSmoothingKeepsLogits(preset, model, SMOOTH_ONLY, config.vocabSize());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void smoothingAloneKeepsTheLogitsOfEveryZooModel(String architecture) throws Exception {
        Path dir = Zoo.require(architecture);
        try (LoadedModel loaded = LoadedModel.open(dir, OPS)) {
            String recipe = architecture.equals("olmo2")
                    ? "SmoothQuantModifier: {mappings: [[[\"re:.*down_proj$\"], \"re:.*up_proj$\"]]}"   // no norm in front of its Linears
                    : SMOOTH_ONLY;
            SmoothQuantModifier sq = (SmoothQuantModifier) assertSmoothingKeepsLogits(architecture, loaded.model(), recipe, loaded.config().vocabSize());
            assertFalse(sq.appliedMappings().isEmpty(), architecture);
            assertEquals(sq.mappings().size(), sq.appliedMappings().size(), architecture + ": every mapping was observed and folded");
        }
    }

    private static Modifier assertSmoothingKeepsLogits(String name, CausalLM model, String yaml, long vocab) {
        Tensor ids = randomIds(vocab, 2, 12, 3);
        float[] before = model.logits(ids, null).toFloatArray();
        Snapshot snapshot = Snapshot.of(model);
        CompressionSession session = Oneshot.run(model, OPS, parse(yaml), batches(vocab, 3), Oneshot.Options.defaults(), ProgressSink.silent());
        assertTrue(snapshot.changed(model), name + ": smoothing changed weights");
        float[] after = model.logits(ids, null).toFloatArray();
        double error = Zoo.relativeError(after, before);
        assertTrue(error <= 1e-5, name + ": logits moved by " + error + " of their largest magnitude");
        return session.lifecycle().modifiers().getFirst();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void defaultMappingsResolveForEveryZooArchitecture(String architecture) throws Exception {
        try (LoadedModel loaded = LoadedModel.open(Zoo.require(architecture), OPS)) {
            Module model = loaded.model();
            List<String> skipped = new ArrayList<>();
            List<ResolvedMapping> awq = MappingResolver.resolve(model, null, ArchitectureMappings::awq, ModulePatterns.of(), skipped::add);
            int layers = MappingResolver.decoderLayers(model).size();
            // OLMo 2 has no norm in front of its Linears, and its grouped-query v_proj does not line up with o_proj
            assertTrue(awq.size() >= (architecture.equals("olmo2") ? layers : 2 * layers), architecture + ": " + awq);
            for (ResolvedMapping m : awq) assertTrue(m.smoothName().startsWith(m.layer() + "."), m.toString());
            if (architecture.equals("olmo2")) {
                QuantizationConfigException e = assertThrows(QuantizationConfigException.class,
                        () -> MappingResolver.resolve(model, null, ArchitectureMappings::smoothQuant, ModulePatterns.of(), skipped::add));
                assertTrue(e.getMessage().contains("mappings"), e.getMessage());
            } else {
                assertEquals(2 * layers, MappingResolver.resolve(model, null, ArchitectureMappings::smoothQuant, ModulePatterns.of(), skipped::add).size());
            }
            if (architecture.endsWith("moe") || architecture.equals("mixtral")) {
                ResolvedMapping ffn = awq.stream().filter(m -> m.smoothName().endsWith("post_attention_layernorm")).findFirst().orElseThrow();
                assertTrue(ffn.balanceNames().stream().anyMatch(n -> n.endsWith(".gate")), "the router is balanced: " + ffn);
                assertTrue(ffn.balanceNames().stream().filter(n -> n.contains(".experts.")).count() >= 4, ffn.toString());
                assertFalse(ffn.parent() instanceof io.llmc4j.engine.nn.ModuleList);
                for (ResolvedMapping m : awq) {
                    if (!m.smoothName().contains(".experts.")) continue;
                    String expert = m.smoothName().substring(0, m.smoothName().lastIndexOf('.'));
                    assertEquals(List.of(m.balanceNames().getFirst()), m.balanceNames(), "one down projection per expert");
                    assertTrue(m.balanceNames().getFirst().startsWith(expert + "."), m.toString());
                }
            }
        }
    }

    @Test
    void userMappingsNameTheLayerAndThePatternThatMatchedNothing() throws Exception {
        try (LoadedModel loaded = LoadedModel.open(Zoo.require("llama"), OPS)) {
            String yaml = "AWQModifier: {mappings: [{smooth_layer: 're:.*input_layernorm$', balance_layers: ['re:.*q_proj$', 're:.*qq_proj$']}]}";
            QuantizationConfigException e = assertThrows(QuantizationConfigException.class,
                    () -> Oneshot.run(loaded.model(), OPS, parse(yaml), batches(loaded.config().vocabSize(), 1), Oneshot.Options.defaults(), ProgressSink.silent()));
            assertTrue(e.getMessage().contains("'re:.*qq_proj$'") && e.getMessage().contains("model.layers.0") && e.getMessage().contains("mappings"),
                    e.getMessage());
        }
    }

    @Test
    void aMappingWhoseBalanceLayersAreAllIgnoredIsSkipped() throws Exception {
        try (LoadedModel loaded = LoadedModel.open(Zoo.require("llama"), OPS)) {
            String yaml = AWQ_W4_G16.replace("ignore: [lm_head]", "ignore: [lm_head, 're:.*down_proj$']");
            CompressionSession session = Oneshot.run(loaded.model(), OPS, parse(yaml), batches(loaded.config().vocabSize(), 2),
                    Oneshot.Options.defaults(), ProgressSink.silent());
            AWQModifier awq = (AWQModifier) session.lifecycle().modifiers().getFirst();
            assertTrue(awq.mappings().stream().noneMatch(m -> m.smoothName().endsWith("up_proj")), awq.mappings().toString());
            assertEquals(awq.mappings().size(), awq.searchReport().size(), "every remaining mapping was searched");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moeArchitectures")
    void awqW4a16RunsOnMixtureOfExpertsModels(String architecture) throws Exception {
        Path dir = Zoo.require(architecture);
        double awqError, rtnError;
        try (LoadedModel loaded = LoadedModel.open(dir, OPS)) {
            CompressionSession session = Oneshot.run(loaded.model(), OPS, parse(AWQ_W4_G16), batches(loaded.config().vocabSize(), 2),
                    Oneshot.Options.defaults(), ProgressSink.silent());
            AWQModifier awq = (AWQModifier) session.lifecycle().modifiers().getFirst();
            assertEquals(awq.mappings().size(), awq.searchReport().size(), architecture + ": every mapping was searched");
            awqError = logitError(dir, loaded.model(), loaded.config().vocabSize());
        }
        try (LoadedModel loaded = LoadedModel.open(dir, OPS)) {
            String rtn = AWQ_W4_G16.replace("AWQModifier: {duo_scaling: both, n_grid: 6}\n    ", "");
            Oneshot.run(loaded.model(), OPS, parse(rtn), batches(loaded.config().vocabSize(), 2), Oneshot.Options.defaults(), ProgressSink.silent());
            rtnError = logitError(dir, loaded.model(), loaded.config().vocabSize());
        }
        System.out.printf("zoo %-10s W4A16 g16 asym, logit error / max |logit|: AWQ %.4f, RTN %.4f%n", architecture, awqError, rtnError);
        assertTrue(awqError > 0 && awqError < 1.5 * rtnError, architecture + ": AWQ " + awqError + " vs RTN " + rtnError);
    }

    /** max |logit − original logit| / max |original logit| of a quantized model. */
    private static double logitError(Path dir, CausalLM quantized, long vocab) throws Exception {
        Tensor ids = randomIds(vocab, 1, 12, 9);
        try (LoadedModel original = LoadedModel.open(dir, OPS)) {
            return Zoo.relativeError(quantized.logits(ids, null).toFloatArray(), original.model().logits(ids, null).toFloatArray());
        }
    }

    static List<String> moeArchitectures() {
        return List.of("qwen3_moe", "mixtral");
    }

    private static Recipe parse(String yaml) {
        return new RecipeParser(StandardModifiers.registry()).parseYaml(yaml, "test recipe");
    }

    private static List<Map<String, Tensor>> batches(long vocab, int count) {
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(Map.of("input_ids", randomIds(vocab, 1, 16, 100 + i)));
        return out;
    }

    private static Tensor randomIds(long vocab, int sequences, int length, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[sequences * length];
        for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt((int) Math.min(vocab, Integer.MAX_VALUE));
        return Tensor.ofLongs(ids, sequences, length);
    }

    /** The identity of every parameter, to see that a modifier replaced some. */
    private record Snapshot(Map<String, Tensor> parameters) {
        static Snapshot of(Module model) {
            return new Snapshot(Map.copyOf(model.namedParameters()));
        }

        boolean changed(Module model) {
            for (var e : model.namedParameters().entrySet()) if (parameters.get(e.getKey()) != e.getValue()) return true;
            return false;
        }
    }
}
