package io.llmc4j.compress.oneshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmc4j.compress.core.CompressionSession;
import io.llmc4j.compress.data.Batch;
import io.llmc4j.compress.data.TokenSequence;
import io.llmc4j.compress.modifiers.StandardModifiers;
import io.llmc4j.compress.modifiers.gptq.GPTQModifier;
import io.llmc4j.compress.quantization.gptq.GptqResult;
import io.llmc4j.compress.modifiers.quantization.QuantizationModifier;
import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.pipelines.ProgressSink;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import io.llmc4j.compress.recipe.Recipe;
import io.llmc4j.compress.recipe.RecipeParser;
import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.VectorKernels;
import io.llmc4j.engine.ops.accel.AcceleratedKernels;
import io.llmc4j.engine.ops.accel.Accelerator;
import io.llmc4j.engine.ops.accel.Accelerators;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Oneshot through the sequential pipeline with Linear forwards on an OpenCL device (PoCL's CPU
 * device in CI) gives the CPU path's qparams: weight qparams bit for bit (W8A8), static activation
 * scales within float-reordering tolerance (their inputs come out of device GEMMs), zero points equal.
 * Skipped, with the reason, where no OpenCL device opens.
 */
class DeviceCalibrationTest {
    private static final String W8A8 = "QuantizationModifier:\n  targets: [Linear]\n  ignore: [lm_head]\n  scheme: W8A8\n";
    private static final String W8A8_STATIC = """
            QuantizationModifier:
              ignore: [lm_head]
              config_groups:
                group_0:
                  targets: [Linear]
                  weights: {num_bits: 8, type: int, symmetric: true, strategy: channel}
                  input_activations: {num_bits: 8, type: int, symmetric: false, strategy: tensor, dynamic: false}
            """;

    @Test
    void openClCalibrationGivesTheCpuQParams() {
        Optional<Accelerator> device = openClOrSkip();
        ModelConfig config = SyntheticModels.preset("tiny");
        Map<String, Tensor> weights = SyntheticModels.generate(config, 7, DType.F32);
        List<Batch> batches = batches(config.vocabSize());
        try (Parallel parallel = new Parallel(2); AcceleratedKernels accelerated = new AcceleratedKernels(new VectorKernels(parallel), device.get())) {
            Ops cpu = new Ops(new VectorKernels(parallel)), opencl = new Ops(accelerated);
            for (String recipe : List.of(W8A8, W8A8_STATIC)) {
                List<QuantizedModule> want = run(config, weights, cpu, recipe, batches), got = run(config, weights, opencl, recipe, batches);
                assertEquals(want.size(), got.size());
                for (int i = 0; i < want.size(); i++) {
                    QuantizedModule w = want.get(i), g = got.get(i);
                    assertEquals(w.name(), g.name());
                    assertArrayEquals(w.qparams(ObservedRole.WEIGHT).scale().toFloatArray(), g.qparams(ObservedRole.WEIGHT).scale().toFloatArray(), w.name() + " weight scale");
                    assertArrayEquals(w.qparams(ObservedRole.WEIGHT).zeroPoint().toFloatArray(), g.qparams(ObservedRole.WEIGHT).zeroPoint().toFloatArray(), w.name() + " weight zero point");
                    if (recipe == W8A8_STATIC) {
                        float ws = w.qparams(ObservedRole.INPUT).scale().getFlat(0), gs = g.qparams(ObservedRole.INPUT).scale().getFlat(0);
                        assertTrue(Math.abs(ws - gs) <= 1e-5 * Math.abs(ws), w.name() + " input scale cpu " + ws + " opencl " + gs);
                        assertArrayEquals(w.qparams(ObservedRole.INPUT).zeroPoint().toFloatArray(), g.qparams(ObservedRole.INPUT).zeroPoint().toFloatArray(), w.name() + " input zero point");
                    }
                }
            }
        }
    }

    /**
     * GPTQ with the Hessians accumulated by the OpenCL device's gramUpdate: the sums differ from the
     * CPU's lower-triangle accumulation only by float reordering, so GPTQ's losses agree within 1e-4
     * relative and at most 1% of the int4 codes differ by one step (a reordered Hessian can move a
     * value across a rounding boundary, which GPTQ's error feedback then carries on).
     */
    @Test
    void gptqHessiansOnOpenClGiveTheCpuResult() {
        Optional<Accelerator> device = openClOrSkip();
        ModelConfig config = SyntheticModels.preset("tiny");
        Map<String, Tensor> weights = SyntheticModels.generate(config, 7, DType.F32);
        List<Batch> batches = batches(config.vocabSize());
        String recipe = "GPTQModifier:\n  ignore: [lm_head]\n  block_size: 8\n  config_groups:\n    g:\n      targets: [Linear]\n"
                + "      weights: {num_bits: 4, type: int, symmetric: true, strategy: group, group_size: 4}\n";
        try (Parallel parallel = new Parallel(2); AcceleratedKernels accelerated = new AcceleratedKernels(new VectorKernels(parallel), device.get())) {
            Map<String, GptqResult> want = gptq(config, weights, new Ops(new VectorKernels(parallel)), recipe, batches);
            Map<String, GptqResult> got = gptq(config, weights, new Ops(accelerated), recipe, batches);
            assertEquals(want.keySet(), got.keySet());
            assertFalse(want.isEmpty());
            for (String name : want.keySet()) {
                GptqResult w = want.get(name), g = got.get(name);
                assertTrue(Math.abs(w.loss() - g.loss()) <= 1e-4 * Math.abs(w.loss()) + 1e-9, name + " loss cpu " + w.loss() + " opencl " + g.loss());
                float[] ws = w.qparams().scale().toFloatArray(), gs = g.qparams().scale().toFloatArray();
                float[] wq = w.weight().toFloatArray(), gq = g.weight().toFloatArray();
                int differing = 0;
                for (int i = 0; i < wq.length; i++) {
                    float step = ws[(int) ((long) i * ws.length / wq.length)];
                    double codes = Math.abs(wq[i] - gq[i]) / step;
                    assertTrue(codes <= 1.0001, name + " element " + i + " differs by " + codes + " quantization steps");
                    if (wq[i] != gq[i]) differing++;
                }
                assertTrue(differing <= wq.length / 100, name + ": " + differing + " of " + wq.length + " quantized weights differ");
                for (int i = 0; i < ws.length; i++)
                    assertTrue(Math.abs(ws[i] - gs[i]) <= 1e-5f * Math.abs(ws[i]), name + " scale " + i + " cpu " + ws[i] + " opencl " + gs[i]);
            }
        }
    }

    private static Map<String, GptqResult> gptq(ModelConfig config, Map<String, Tensor> weights, Ops ops, String yaml, List<Batch> batches) {
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", weights), ops);
        Recipe recipe = new RecipeParser(StandardModifiers.registry()).parseYaml(yaml, "test recipe");
        CompressionSession session = Oneshot.run(model, ops, recipe, batches.stream().map(Batch::asModelInputs).toList(),
                Oneshot.Options.defaults(), ProgressSink.silent());
        return ((GPTQModifier) session.lifecycle().modifiers().getFirst()).results();
    }

    private static List<QuantizedModule> run(ModelConfig config, Map<String, Tensor> weights, Ops ops, String yaml, List<Batch> batches) {
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", weights), ops);
        Recipe recipe = new RecipeParser(StandardModifiers.registry()).parseYaml(yaml, "test recipe");
        CompressionSession session = Oneshot.run(model, ops, recipe, batches.stream().map(Batch::asModelInputs).toList(),
                Oneshot.Options.defaults(), ProgressSink.silent());
        return ((QuantizationModifier) session.lifecycle().modifiers().getFirst()).quantizedModules();
    }

    private static Optional<Accelerator> openClOrSkip() {
        List<String> log = new ArrayList<>();
        Optional<Accelerator> device = Accelerators.device("opencl", log::add);
        assumeTrue(device.isPresent(), "OpenCL unavailable: " + log);
        return device;
    }

    private static List<Batch> batches(int vocab) {
        return List.of(Batch.of(List.of(sequence(vocab, 13, 1), sequence(vocab, 13, 2)), 0), Batch.of(List.of(sequence(vocab, 13, 3)), 0));
    }

    private static TokenSequence sequence(int vocab, int length, long seed) {
        Random random = new Random(seed);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = random.nextInt(vocab);
        return new TokenSequence(ids, null, "random seed " + seed);
    }
}
