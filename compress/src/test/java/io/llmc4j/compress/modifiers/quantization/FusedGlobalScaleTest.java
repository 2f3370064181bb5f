package io.llmc4j.compress.modifiers.quantization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.data.Batch;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.SharedFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NVFP4 weight global scales of the layers vLLM fuses (q/k/v, gate/up) are shared, as llm-compressor's
 * fused observers compute them: one global scale from the largest |weight| of the whole set (golden README
 * rule 9: {@code 448·6/absmax} in f32, evaluated as torch evaluates {@code scalar / tensor}: reciprocal,
 * then product), written on every member.
 */
class FusedGlobalScaleTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());
    private static final String NVFP4A16 = "QuantizationModifier:\n  ignore: [lm_head, \"re:.*down_proj\"]\n  scheme: NVFP4A16\n";

    @Test
    void qkvAndGateUpShareOneGlobalScaleFromTheirJointAbsmax() {
        ModelConfig config = SyntheticModels.preset("tiny");
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", SyntheticModels.generate(config, 3, DType.F32)), OPS);
        QuantizationModifierEndToEndTest.run(model, NVFP4A16, batches(config));
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            String prefix = "model.layers." + layer + ".";
            for (List<String> set : List.of(List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"), List.of("mlp.gate_proj", "mlp.up_proj"))) {
                float absmax = 0;
                for (String name : set) absmax = Math.max(absmax, absMax(model.submodule(prefix + name).parameter("weight")));
                float expected = gparam(absmax);
                for (String name : set)
                    assertEquals(expected, model.submodule(prefix + name).parameter("weight_global_scale").getFloat(0), prefix + name);
            }
            // o_proj fuses with nothing: its own absmax.
            Tensor o = model.submodule(prefix + "self_attn.o_proj").parameter("weight");
            assertEquals(gparam(absMax(o)), model.submodule(prefix + "self_attn.o_proj").parameter("weight_global_scale").getFloat(0));
        }
    }

    @Test
    void aFusedSetHalfQuantizedIsRefusedBeforeCalibration() {
        ModelConfig config = SyntheticModels.preset("tiny");
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny", SyntheticModels.generate(config, 3, DType.F32)), OPS);
        String recipe = "QuantizationModifier:\n  ignore: [lm_head, \"re:.*down_proj\", \"re:.*v_proj\"]\n  scheme: NVFP4A16\n";
        QuantizationConfigException e = assertThrows(QuantizationConfigException.class, () -> QuantizationModifierEndToEndTest.run(model, recipe, batches(config)));
        assertTrue(e.getMessage().contains("model.layers.0.self_attn.v_proj (weights not quantized)"), e.getMessage());
        assertTrue(e.getMessage().contains("ignore"), e.getMessage());
    }

    /** stories260K layer 0: separate scales would be q 1687, k 2485, v 10530; LLM Compressor writes q's for all three. */
    @Test
    void stories260kLayer0SharesTheQueryScale() throws Exception {
        Path dir = SharedFiles.require("models/stories260K-hf");
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(dir)) {
            ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
            CausalLM model = Models.build(config, weights, OPS);
            QuantizationModifierEndToEndTest.run(model, NVFP4A16, batches(config));
            float q = model.submodule("model.layers.0.self_attn.q_proj").parameter("weight_global_scale").getFloat(0);
            assertEquals(1687, q, 1f);
            for (String name : List.of("k_proj", "v_proj"))
                assertEquals(q, model.submodule("model.layers.0.self_attn." + name).parameter("weight_global_scale").getFloat(0), name);
            assertNotEquals(q, model.submodule("model.layers.0.self_attn.o_proj").parameter("weight_global_scale").getFloat(0));
        }
    }

    private static List<Batch> batches(ModelConfig config) {
        return List.of(Batch.of(List.of(QuantizationModifierEndToEndTest.sequence(config.vocabSize(), 9, 4)), 0));
    }

    private static float gparam(float absmax) {
        return (1f / absmax) * (448f * 6f);
    }

    private static float absMax(Tensor t) {
        float m = 0;
        for (float v : t.toFloatArray()) m = Math.max(m, Math.abs(v));
        return m;
    }
}
