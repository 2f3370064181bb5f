package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.RopeScaling;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticModelsTest {
    private static final ModelConfig TINY = SyntheticModels.preset(SyntheticModels.TINY);

    private static int[] bits(Tensor t) {
        float[] f = t.toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
        return out;
    }

    @Test
    void sameSeedGivesTheSameBitsAndAnotherSeedDiffers() {
        Map<String, Tensor> a = SyntheticModels.generate(TINY, 42, DType.F32);
        Map<String, Tensor> b = SyntheticModels.generate(TINY, 42, DType.F32);
        Map<String, Tensor> c = SyntheticModels.generate(TINY, 43, DType.F32);
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(bits(a.get(name)), bits(b.get(name)), name);
            assertFalse(Arrays.equals(bits(a.get(name)), bits(c.get(name))), name);
        }
    }

    @Test
    void aTensorDependsOnlyOnSeedNameAndShape() {
        ModelConfig deeper = ModelTesting.edited(SyntheticModels.TINY, j -> j.put("num_hidden_layers", 3));
        Map<String, Tensor> two = SyntheticModels.generate(TINY, 7, DType.F32);
        Map<String, Tensor> three = SyntheticModels.generate(deeper, 7, DType.F32);
        assertArrayEquals(bits(two.get("model.layers.1.self_attn.q_proj.weight")), bits(three.get("model.layers.1.self_attn.q_proj.weight")));
        assertArrayEquals(bits(two.get("model.embed_tokens.weight")), bits(three.get("model.embed_tokens.weight")));
    }

    @ParameterizedTest
    @ValueSource(strings = {SyntheticModels.TINY, SyntheticModels.TINY_LLAMA3, SyntheticModels.TINY_MISTRAL,
            SyntheticModels.TINY_QWEN2, SyntheticModels.TINY_QWEN3})
    void namesAndShapesAreTheArchitecturesAndBf16RoundsTheF32Draws(String preset) {
        ModelConfig config = SyntheticModels.preset(preset);
        Map<String, Tensor> f32 = SyntheticModels.generate(config, 9, DType.F32);
        Map<String, Tensor> bf16 = SyntheticModels.generate(config, 9, DType.BF16);
        Map<String, long[]> expected = Architecture.of(config.modelType()).parameterShapes(config);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(f32.keySet()));
        for (var e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), f32.get(e.getKey()).shape().toArray(), e.getKey());
            assertEquals(DType.BF16, bf16.get(e.getKey()).dtype());
            float[] wide = f32.get(e.getKey()).toFloatArray(), narrow = bf16.get(e.getKey()).toFloatArray();
            for (int i = 0; i < wide.length; i++)
                assertEquals(FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(wide[i])), narrow[i], e.getKey() + "[" + i + "]");
        }
    }

    @Test
    void arenaTensorsHoldTheSameValues() {
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> heap = SyntheticModels.generate(TINY, 5, DType.BF16);
            Map<String, Tensor> off = SyntheticModels.generate(TINY, 5, DType.BF16, arena);
            for (String name : heap.keySet()) {
                assertTrue(off.get(name).segment().isNative(), name);
                assertFalse(heap.get(name).segment().isNative(), name);
                assertArrayEquals(heap.get(name).toFloatArray(), off.get(name).toFloatArray(), name);
            }
        }
    }

    @Test
    void initialisationScales() {
        Map<String, Tensor> w = SyntheticModels.generate(TINY, 1, DType.F32);
        assertMoments(w.get("model.embed_tokens.weight"), 0, 1 / Math.sqrt(64));
        assertMoments(w.get("model.layers.0.self_attn.q_proj.weight"), 0, 1 / Math.sqrt(64));
        assertMoments(w.get("model.layers.0.mlp.down_proj.weight"), 0, 1 / Math.sqrt(172 * 4.0));
        assertMoments(w.get("model.layers.1.input_layernorm.weight"), 1, 0.05);
    }

    private static void assertMoments(Tensor t, double mean, double std) {
        float[] f = t.toFloatArray();
        double s = 0, ss = 0;
        for (float v : f) s += v;
        double m = s / f.length;
        for (float v : f) ss += (v - m) * (v - m);
        double sd = Math.sqrt(ss / (f.length - 1));
        double se = std / Math.sqrt(f.length);
        assertEquals(mean, m, 5 * se + 1e-12, "mean of " + t);
        assertEquals(std, sd, std * 0.25, "std of " + t);
    }

    @ParameterizedTest
    @ValueSource(strings = {SyntheticModels.TINY, SyntheticModels.TINY_LLAMA3, SyntheticModels.TINY_MISTRAL,
            SyntheticModels.TINY_QWEN2, SyntheticModels.TINY_QWEN3})
    void logitsStayNearUnitScale(String preset) {
        ModelConfig config = SyntheticModels.preset(preset);
        var model = ModelTesting.build(config, ModelTesting.weights(config, 12));
        float[] logits = model.logits(ModelTesting.idsTensor(ModelTesting.randomIds(new Random(12), 1, 16, config.vocabSize())), null).toFloatArray();
        double ss = 0;
        for (float v : logits) {
            assertTrue(Float.isFinite(v));
            ss += v * v;
        }
        double rms = Math.sqrt(ss / logits.length);
        assertTrue(rms > 0.3 && rms < 3, () -> preset + ": logit rms " + rms);
    }

    @Test
    void llama307mPresetHasTheSpeedAnchorsShapes() {
        ModelConfig c = SyntheticModels.preset(SyntheticModels.LLAMA_307M);
        assertEquals(List.of(2048, 5632, 4, 32, 4, 64, 32000), List.of(c.hiddenSize(), c.intermediateSize(), c.numHiddenLayers(),
                c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(), c.vocabSize()));
        assertTrue(!c.tieWordEmbeddings());
        long parameters = 0;
        for (long[] dims : Architecture.of("llama").parameterShapes(c).values()) parameters += Arrays.stream(dims).reduce(1, Math::multiplyExact);
        // 4 layers of (2·2048² + 2·2048·256 + 3·2048·5632 + 2·2048) + 2·32000·2048 + 2048
        assertEquals(4L * (2 * 2048 * 2048 + 2 * 2048 * 256 + 3 * 2048 * 5632 + 2 * 2048) + 2L * 32000 * 2048 + 2048, parameters);
    }

    @Test
    void llama32PresetHasTheRealShapes() {
        ModelConfig c = SyntheticModels.preset(SyntheticModels.LLAMA_3_2_1B);
        assertEquals(2048, c.hiddenSize());
        assertEquals(8192, c.intermediateSize());
        assertEquals(16, c.numHiddenLayers());
        assertEquals(32, c.numAttentionHeads());
        assertEquals(8, c.numKeyValueHeads());
        assertEquals(64, c.headDim());
        assertEquals(128256, c.vocabSize());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(new RopeScaling.Llama3(32, 1, 4, 8192), c.ropeScaling());
        assertEquals(500000, c.ropeTheta());
        assertEquals("LlamaForCausalLM", c.json().get("architectures").get(0).asText());
        long parameters = 0;
        for (long[] dims : Architecture.of("llama").parameterShapes(c).values()) parameters += Arrays.stream(dims).reduce(1, Math::multiplyExact);
        assertEquals(1_235_814_400L, parameters, "Llama-3.2-1B has 1,235,814,400 parameters");
    }

    @Test
    void unknownPresetsAndDtypesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> SyntheticModels.preset("huge"));
        assertTrue(e.getMessage().contains("huge") && e.getMessage().contains(SyntheticModels.TINY_QWEN3), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyntheticModels.generate(TINY, 1, DType.F16));
    }
}
