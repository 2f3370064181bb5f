package io.llmc4j.compress.modifiers.quantization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.SharedFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * QuantizationModifier recipes run end to end through the sequential pipeline (issue: compression
 * core), on stories260K and on a synthetic model.
 */
class QuantizationModifierEndToEndTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());
    private static final String W8A8 = """
            quant_stage:
              quant_modifiers:
                QuantizationModifier:
                  targets: [Linear]
                  ignore: [lm_head]
                  scheme: W8A8
            """;
    // stories260K's in_features are 64 and 172 = 4·43: group 4 divides both.
    private static final String W4A16_GROUP4 = """
            quant_stage:
              quant_modifiers:
                QuantizationModifier:
                  ignore: [lm_head]
                  config_groups:
                    group_0:
                      targets: [Linear]
                      weights: {num_bits: 4, type: int, symmetric: true, strategy: group, group_size: 4}
            """;

    @Test
    void w8a8AndW4a16OnStories260k() throws Exception {
        Path dir = SharedFiles.require("models/stories260K-hf");
        Path data = SharedFiles.require("data/stories260K-samples.jsonl");
        DatasetOptions options = DatasetOptions.defaults().withNumCalibrationSamples(128).withMaxSeqLength(48);
        CalibrationDataset all = CalibrationDataLoader.readTokenIds(data, options, ModelLimits.NONE);
        List<Batch> calibration = all.first(8).batches(4, 0);
        List<long[]> evaluation = all.sequences().subList(120, 124).stream().map(QuantizationModifierEndToEndTest::ids).toList();
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(dir)) {
            ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
            double before = Perplexity.of(Models.build(config, weights, OPS), evaluation).value();
            // Bounds from measured values (before 10.03; W8A8 10.77; W4A16 g4 51.8: a 260K-parameter model is fragile at 4 bits).
            for (var run : List.of(Map.entry(W8A8, 1.2), Map.entry(W4A16_GROUP4, 10.0))) {
                CausalLM model = Models.build(config, weights, OPS);
                QuantizationModifier modifier = run(model, run.getKey(), calibration);
                double after = Perplexity.of(model, evaluation).value();
                assertTrue(Double.isFinite(after), "perplexity after quantization");
                assertTrue(after > before, "RTN quantization loses some quality: " + before + " -> " + after);
                assertTrue(after < before * run.getValue(), "perplexity " + before + " -> " + after + " within " + run.getValue() + "x");
                assertEquals(List.of("lm_head"), modifier.ignoredModules());
                assertEquals(5 * 7, modifier.quantizedModules().size(), "seven Linears per layer, five layers");
            }
        }
    }

    @Test
    void frozenModulesCarryQParamsAndForwardUsesFakeQuantizedWeights() {
        ModelConfig config = SyntheticModels.preset("tiny");
        Map<String, Tensor> weights = SyntheticModels.generate(config, 3, DType.F32);
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", weights), OPS);
        List<Batch> batches = List.of(Batch.of(List.of(sequence(config.vocabSize(), 11, 1), sequence(config.vocabSize(), 11, 2)), 0));
        QuantizationModifier modifier = run(model, W4A16_CHANNEL, batches);
        for (QuantizedModule target : modifier.quantizedModules()) {
            assertEquals(QuantizationStatus.FROZEN, target.status(), target.name());
            var qparams = target.qparams(ObservedRole.WEIGHT);
            assertNotNull(qparams, target.name());
            assertEquals(target.module().parameter("weight").dim(0), qparams.scale().dim(0), "one scale per output channel");
            assertFalse(target.module().hasHooks(), "calibration hooks are removed at the end");
        }
        assertTrue(modifier.quantizedForwards().stream().noneMatch(f -> f.hasCachedWeight()), "cached fake-quantized weights are released after calibration");
        // The forward of a quantized Linear equals a plain Linear over the fake-quantized weight.
        QuantizedModule first = modifier.quantizedModules().getFirst();
        Tensor weight = first.module().parameter("weight");
        var qparams = first.qparams(ObservedRole.WEIGHT);
        Tensor fakeQuantized = QuantizeOps.fakeQuantize(weight, qparams.scale(), qparams.zeroPoint(), first.scheme().weights());
        Tensor x = Tensor.of(randomFloats(weight.dim(1) * 3, 5), 1, 3, weight.dim(1));
        float[] expected = OPS.linear(x, fakeQuantized, null).toFloatArray();
        float[] actual = first.module().call(x).toFloatArray();
        assertTrue(Arrays.equals(expected, actual), "quantized forward uses the fake-quantized weight");
    }

    @Test
    void staticInputScalesObserveTheUnquantizedModelAsLlmCompressorDoes() {
        ModelConfig config = SyntheticModels.preset("tiny");
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", SyntheticModels.generate(config, 5, DType.F32)), OPS);
        List<Batch> batches = List.of(Batch.of(List.of(sequence(config.vocabSize(), 10, 7)), 0), Batch.of(List.of(sequence(config.vocabSize(), 10, 8)), 0));
        // Reference: the largest |input| of every Linear over the batches, in the plain (unquantized) model.
        Map<String, float[]> absMax = new java.util.LinkedHashMap<>();
        List<io.llmc4j.engine.nn.HookHandle> probes = new java.util.ArrayList<>();
        model.namedModules().forEach((name, module) -> {
            if (!(module instanceof io.llmc4j.engine.nn.Linear) || name.equals("lm_head")) return;
            float[] max = absMax.computeIfAbsent(name, n -> new float[1]);
            probes.add(module.registerForwardPreHook((m, in) -> {
                for (float v : in[0].toFloatArray()) max[0] = Math.max(max[0], Math.abs(v));
                return null;
            }));
        });
        for (Batch b : batches) model.call(b.asModelInputs().get("input_ids"), b.asModelInputs().get("attention_mask"));
        probes.forEach(io.llmc4j.engine.nn.HookHandle::remove);

        QuantizationModifier modifier = run(model, "QuantizationModifier:\n  ignore: [lm_head]\n  scheme: FP8\n", batches);
        for (QuantizedModule target : modifier.quantizedModules()) {
            float expected = absMax.get(target.name())[0] / 448f;
            float actual = target.module().parameter("input_scale").getFloat(0);
            assertEquals(expected, actual, expected * 1e-6f, target.name() + ": static_minmax over the unquantized inputs (calibration does not fake-quantize)");
        }
    }

    @Test
    void dynamicActivationsNeedNoCalibrationForward() {
        ModelConfig config = SyntheticModels.preset("tiny");
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", SyntheticModels.generate(config, 6, DType.F32)), OPS);
        int[] forwards = new int[1];
        model.submodule("model.layers.0").setForwardWrapper((m, in, forward) -> {
            if (!in[0].isSymbolic()) forwards[0]++;
            return forward.apply(in);
        });
        QuantizationModifier modifier = run(model, W8A8, List.of(Batch.of(List.of(sequence(config.vocabSize(), 6, 9)), 0)));
        assertEquals(0, forwards[0], "W8A8 (dynamic per-token activations) is calibrated data-free, as LLM Compressor infers");
        for (QuantizedModule target : modifier.quantizedModules()) assertNotNull(target.qparams(ObservedRole.WEIGHT), target.name());
    }

    @Test
    void nvfp4CalibratesTheInputGlobalScaleAndComputesGroupScalesAtRunTime() {
        ModelConfig config = SyntheticModels.preset("tiny");
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", SyntheticModels.generate(config, 3, DType.F32)), OPS);
        List<Batch> batches = List.of(Batch.of(List.of(sequence(config.vocabSize(), 9, 4)), 0));
        // NVFP4 groups of 16: down_proj's 172 inputs do not split, so it is ignored.
        String nvfp4 = "QuantizationModifier:\n  ignore: [lm_head, \"re:.*down_proj\"]\n  scheme: NVFP4\n";
        QuantizationModifier modifier = run(model, nvfp4, batches);
        for (QuantizedModule target : modifier.quantizedModules()) {
            Tensor global = target.module().parameter("input_global_scale");
            assertNotNull(global, target.name() + " calibrated an input global scale");
            assertTrue(global.getFloat(0) > 0 && Float.isFinite(global.getFloat(0)), target.name());
            assertNotNull(target.module().parameter("weight_global_scale"), target.name());
        }
        Tensor logits = model.call(Tensor.ofLongs(new long[] {1, 2, 3}, 1, 3), null);
        for (float v : logits.toFloatArray()) assertTrue(Float.isFinite(v));
    }

    private static final String W4A16_CHANNEL = W4A16_GROUP4.replace("strategy: group, group_size: 4", "strategy: channel");

    static QuantizationModifier run(CausalLM model, String yaml, List<Batch> batches) {
        Recipe recipe = new RecipeParser(StandardModifiers.registry()).parseYaml(yaml, "test recipe");
        CompressionSession session = Oneshot.run(model, OPS, recipe, batches.stream().map(Batch::asModelInputs).toList(),
                Oneshot.Options.defaults(), ProgressSink.silent());
        return (QuantizationModifier) session.lifecycle().modifiers().getFirst();
    }

    private static long[] ids(TokenSequence sequence) {
        return Arrays.stream(sequence.inputIds()).asLongStream().toArray();
    }

    static TokenSequence sequence(int vocab, int length, long seed) {
        Random random = new Random(seed);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = random.nextInt(vocab);
        return new TokenSequence(ids, null, "random seed " + seed);
    }

    private static float[] randomFloats(long n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian();
        return values;
    }
}
