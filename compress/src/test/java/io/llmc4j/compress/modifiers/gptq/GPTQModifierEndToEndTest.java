package io.llmc4j.compress.modifiers.gptq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.core.CompressionSession;
import io.llmc4j.compress.data.Batch;
import io.llmc4j.compress.data.CalibrationDataLoader;
import io.llmc4j.compress.data.CalibrationDataset;
import io.llmc4j.compress.data.DatasetOptions;
import io.llmc4j.compress.data.ModelLimits;
import io.llmc4j.compress.data.TokenSequence;
import io.llmc4j.compress.modifiers.StandardModifiers;
import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.oneshot.Oneshot;
import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.compress.quantization.QuantizationStatus;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import io.llmc4j.compress.recipe.Recipe;
import io.llmc4j.compress.recipe.RecipeParser;
import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.models.Perplexity;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.VectorKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GPTQModifier through the sequential pipeline: quality against RTN on stories260K, recipe checks, actorder group. */
class GPTQModifierEndToEndTest {
    private static Parallel parallel;
    private static Ops ops;

    @BeforeAll
    static void start() {
        parallel = new Parallel(2);
        ops = new Ops(new VectorKernels(parallel));
    }

    @AfterAll
    static void stop() {
        parallel.close();
    }

    /** A fast version of the recipes README's split: 24 calibration sequences of 128 tokens, 8 held-out sequences. */
    @Test
    void w4ChannelGptqBeatsRoundToNearestOnStories260k() throws Exception {
        Path dir = SharedFiles.require("models/stories260K-hf");
        Path data = SharedFiles.require("data/stories260K-samples.jsonl");
        String gptq = Files.readString(SharedFiles.require("recipes/w4-channel-gptq.yaml"));
        String rtn = Files.readString(SharedFiles.require("recipes/w4-channel-rtn.yaml"));
        CalibrationDataset all = CalibrationDataLoader.readTokenIds(data, DatasetOptions.defaults().withNumCalibrationSamples(128).withMaxSeqLength(128),
                ModelLimits.NONE);
        List<Batch> calibration = all.first(24).batches(1, 0);
        List<long[]> evaluation = all.sequences().subList(120, 128).stream().map(GPTQModifierEndToEndTest::ids).toList();
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(dir)) {
            ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
            CausalLM rtnModel = Models.build(config, weights, ops);
            run(rtnModel, rtn, calibration, new ArrayList<>());
            double rtnPerplexity = Perplexity.of(rtnModel, evaluation).value();
            CausalLM gptqModel = Models.build(config, weights, ops);
            List<String> lines = new ArrayList<>();
            GPTQModifier modifier = (GPTQModifier) run(gptqModel, gptq, calibration, lines);
            double gptqPerplexity = Perplexity.of(gptqModel, evaluation).value();
            assertTrue(gptqPerplexity < rtnPerplexity, "GPTQ perplexity " + gptqPerplexity + " is not below RTN's " + rtnPerplexity);
            assertEquals(35, modifier.quantizedModules().size(), "seven Linears per layer, five layers");
            assertEquals(List.of("lm_head"), modifier.ignoredModules());
            for (QuantizedModule target : modifier.quantizedModules()) {
                assertEquals(QuantizationStatus.FROZEN, target.status(), target.name());
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("GPTQModifier " + target.name() + ": time_s ") && l.contains("loss") && l.contains("samples 24")),
                        "progress line for " + target.name() + " in " + lines);
                assertOnGrid(target.name(), target.module().parameter("weight").toFloatArray(), target.fakeQuantizedWeight().toFloatArray());
            }
        }
    }

    @Test
    void actorderGroupStoresAnInt32GIdxAndTheForwardUsesIt() {
        ModelConfig config = SyntheticModels.preset("tiny");
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", SyntheticModels.generate(config, 3, DType.F32)), ops);
        String recipe = """
                GPTQModifier:
                  ignore: [lm_head, "re:.*down_proj"]
                  actorder: group
                  block_size: 8
                  config_groups:
                    group_0:
                      targets: [Linear]
                      weights: {num_bits: 4, type: int, symmetric: false, strategy: group, group_size: 16}
                """;
        GPTQModifier modifier = (GPTQModifier) run(model, recipe, batches(config, 3), new ArrayList<>());
        for (QuantizedModule target : modifier.quantizedModules()) {
            Tensor gIdx = target.module().parameter("weight_g_idx");
            assertNotNull(gIdx, target.name());
            assertEquals(DType.I32, gIdx.dtype());
            long[] counts = new long[Math.toIntExact(target.module().parameter("weight").dim(1) / 16)];
            for (float g : gIdx.toFloatArray()) counts[(int) g]++;
            for (long c : counts) assertEquals(16, c, target.name() + ": every group holds group_size columns");
            var qparams = target.qparams(ObservedRole.WEIGHT);
            Tensor weight = target.module().parameter("weight");
            Tensor again = QuantizeOps.fakeQuantize(weight, qparams.scale(), qparams.zeroPoint(), target.scheme().weights(), gIdx, null);
            assertOnGrid(target.name(), weight.toFloatArray(), again.toFloatArray());
        }
    }

    @Test
    void actorderStaticStoresNoGIdx() {
        ModelConfig config = SyntheticModels.preset("tiny");
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", SyntheticModels.generate(config, 4, DType.F32)), ops);
        String recipe = "GPTQModifier:\n  ignore: [lm_head]\n  config_groups:\n    g:\n      targets: [Linear]\n"
                + "      weights: {num_bits: 4, type: int, symmetric: true, strategy: channel}\n";
        GPTQModifier modifier = (GPTQModifier) run(model, recipe, batches(config, 2), new ArrayList<>());
        for (QuantizedModule target : modifier.quantizedModules()) {
            assertNull(target.module().parameter("weight_g_idx"), target.name());
            assertEquals(io.llmc4j.compress.quantization.ActivationOrdering.WEIGHT, target.scheme().weights().actorder(), "default actorder static");
        }
    }

    @Test
    void unsupportedKeysAndSchemesFailBeforeCalibration() {
        ModelConfig config = SyntheticModels.preset("tiny");
        List<String> bad = List.of(
                "GPTQModifier:\n  scheme: W4A16\n  blocksize: 64\n",
                "GPTQModifier:\n  scheme: W8A8\n  config_groups: {}\n  block_size: 0\n",
                "GPTQModifier:\n  ignore: [lm_head]\n  config_groups:\n    g:\n      targets: [Linear]\n      weights: {num_bits: 8, type: int, symmetric: true, strategy: channel}\n"
                        + "      input_activations: {num_bits: 8, type: int, symmetric: true, strategy: tensor, dynamic: false}\n",
                "GPTQModifier:\n  ignore: [lm_head]\n  actorder: weight\n  config_groups:\n    g:\n      targets: [Linear]\n"
                        + "      weights: {num_bits: 4, type: int, symmetric: true, strategy: group, group_size: 16, actorder: group}\n");
        List<String> keys = List.of("blocksize", "block_size", "input_activations", "actorder");
        for (int i = 0; i < bad.size(); i++) {
            CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", SyntheticModels.generate(config, 5, DType.F32)), ops);
            String yaml = bad.get(i);
            RuntimeException e = assertThrows(RuntimeException.class, () -> run(model, yaml, batches(config, 1), new ArrayList<>()), yaml);
            assertTrue(e.getMessage().contains(keys.get(i)), "error names '" + keys.get(i) + "': " + e.getMessage());
            assertTrue(model.namedModules().values().stream().noneMatch(m -> m.parameter("weight_scale") != null), "nothing calibrated");
        }
    }

    private static void assertOnGrid(String name, float[] weight, float[] requantized) {
        for (int i = 0; i < weight.length; i++)
            assertEquals(weight[i], requantized[i], 0f, name + ": GPTQ weight element " + i + " lies on its grid");
    }

    private static io.llmc4j.compress.modifiers.Modifier run(CausalLM model, String yaml, List<Batch> batches, List<String> lines) {
        Recipe recipe = new RecipeParser(StandardModifiers.registry()).parseYaml(yaml, "test recipe");
        CompressionSession session = Oneshot.run(model, ops, recipe, batches.stream().map(Batch::asModelInputs).toList(),
                Oneshot.Options.defaults(), lines::add);
        return session.lifecycle().modifiers().getFirst();
    }

    private static List<Batch> batches(ModelConfig config, int count) {
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(Batch.of(List.of(sequence(config.vocabSize(), 24, i)), 0));
        return out;
    }

    private static long[] ids(TokenSequence sequence) {
        return Arrays.stream(sequence.inputIds()).asLongStream().toArray();
    }

    private static TokenSequence sequence(int vocab, int length, long seed) {
        Random random = new Random(seed);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = random.nextInt(vocab);
        return new TokenSequence(ids, null, "random seed " + seed);
    }
}
