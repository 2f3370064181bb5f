package io.llmc4j.compress.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationPresets;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Write, then load: a tiny Llama whose Linears are quantized in the test (observer qparams set as module
 * parameters) is saved with {@link CompressedCheckpointWriter} and loaded with
 * {@link CompressedCheckpointReader}; the loaded model's logits equal those of the fake-quantized model
 * (weights fake-quantized, dynamic activations fake-quantized per token) within 1e-5.
 */
class CheckpointRoundTripTest {
    private static final List<String> LINEAR = List.of("Linear");
    private static final List<String> IGNORE = List.of("lm_head");

    @TempDir
    Path dir;

    static Stream<Arguments> schemes() {
        return Stream.of(
                Arguments.of("W4A16 group 16", weightOnly(QuantizationArgs.builder().numBits(4).strategy(QuantizationStrategy.GROUP).groupSize(16).build()),
                        CompressionFormat.PACK_QUANTIZED),
                Arguments.of("W4A16 channel", weightOnly(QuantizationArgs.builder().numBits(4).strategy(QuantizationStrategy.CHANNEL).build()),
                        CompressionFormat.PACK_QUANTIZED),
                Arguments.of("W4A16_ASYM group 16", weightOnly(QuantizationArgs.builder().numBits(4).symmetric(false)
                        .strategy(QuantizationStrategy.GROUP).groupSize(16).build()), CompressionFormat.PACK_QUANTIZED),
                Arguments.of("W4A16_ASYM channel", weightOnly(QuantizationArgs.builder().numBits(4).symmetric(false)
                        .strategy(QuantizationStrategy.CHANNEL).build()), CompressionFormat.PACK_QUANTIZED),
                Arguments.of("W8A16 group 32", weightOnly(QuantizationArgs.builder().numBits(8).strategy(QuantizationStrategy.GROUP).groupSize(32).build()),
                        CompressionFormat.PACK_QUANTIZED),
                Arguments.of("W8A8", QuantizationPresets.scheme("W8A8", LINEAR), CompressionFormat.INT_QUANTIZED),
                Arguments.of("FP8_DYNAMIC", QuantizationPresets.scheme("FP8_DYNAMIC", LINEAR), CompressionFormat.FLOAT_QUANTIZED));
    }

    private static QuantizationScheme weightOnly(QuantizationArgs weights) {
        return new QuantizationScheme(LINEAR, weights, null, null, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void loadedLogitsEqualTheFakeQuantizedModel(String label, QuantizationScheme scheme, CompressionFormat format) {
        ModelConfig config = TinyQuantizedModels.config(SyntheticModels.TINY, DType.F32);
        CausalLM model = TinyQuantizedModels.build(config, TinyQuantizedModels.weights(config, 7, DType.F32));
        List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(model, scheme, IGNORE);
        assertEquals(14, refs.size(), "7 Linears per layer, 2 layers, lm_head ignored");

        Path out = dir.resolve("out");
        SavedCheckpoint saved = CompressedCheckpointWriter.save(model, config, null, refs,
                new QuantizationConfigSpec(List.of(scheme), IGNORE, null), null, out, WriteOptions.defaults());
        assertEquals(format, saved.format());

        Tensor ids = TinyQuantizedModels.tokens(config, 3);
        Tensor original = model.logits(ids, null);
        TinyQuantizedModels.fakeQuantize(refs);
        Tensor expected = model.logits(ids, null);
        assertTrue(maxDifference(original, expected) > 1e-3, label + ": quantization must visibly change the logits for the check to mean anything");
        try (LoadedCheckpoint loaded = CompressedCheckpointReader.load(out, TinyQuantizedModels.OPS)) {
            assertEquals(format, loaded.quantizationConfig().format());
            assertEquals(refs.stream().map(QuantizedModuleRef::name).toList(), List.copyOf(loaded.moduleSchemes().keySet()));
            assertNull(loaded.model().submodule("lm_head").forwardWrapper(), "lm_head is ignored");
            if (scheme.inputActivations() != null)
                assertInstanceOf(ServedLinearForward.class, loaded.model().submodule("model.layers.0.mlp.down_proj").forwardWrapper());
            for (QuantizedModuleRef ref : refs) assertEquals(DType.F32, loaded.model().submodule(ref.name()).parameter("weight").dtype());
            assertClose(label, expected, loaded.model().logits(ids, null), 1e-5);
            if (scheme.inputActivations() != null) {
                refs.forEach(r -> loaded.model().submodule(r.name()).setForwardWrapper(null));
                assertTrue(maxDifference(expected, loaded.model().logits(ids, null)) > 1e-5,
                        label + ": without activation quantization the logits must differ");
            }
        }
    }

    /** Two groups with different formats: attention W8A8 (int-quantized), MLP W4A16 (pack-quantized). */
    @Test
    void mixedPrecisionLoadsEachGroupWithItsFormat() {
        ModelConfig config = TinyQuantizedModels.config(SyntheticModels.TINY, DType.F32);
        CausalLM model = TinyQuantizedModels.build(config, TinyQuantizedModels.weights(config, 11, DType.F32));
        QuantizationScheme attention = QuantizationPresets.scheme("W8A8", List.of("re:.*self_attn\\..*"));
        QuantizationScheme mlp = new QuantizationScheme(List.of("re:.*mlp\\..*"),
                QuantizationArgs.builder().numBits(4).strategy(QuantizationStrategy.GROUP).groupSize(16).build(), null, null, null);
        List<QuantizedModuleRef> refs = new ArrayList<>(TinyQuantizedModels.quantize(model, attention, List.of()));
        refs.addAll(TinyQuantizedModels.quantize(model, mlp, List.of()));
        Path out = dir.resolve("mixed");
        SavedCheckpoint saved = CompressedCheckpointWriter.save(model, config, null, refs,
                new QuantizationConfigSpec(List.of(attention, mlp), List.of("lm_head"), null), null, out, new WriteOptions(20_000, false));
        assertEquals(CompressionFormat.MIXED_PRECISION, saved.format());
        assertTrue(saved.files().contains("model.safetensors.index.json"), "20 kB shards: " + saved.files());

        TinyQuantizedModels.fakeQuantize(refs);
        Tensor ids = TinyQuantizedModels.tokens(config, 5);
        Tensor expected = model.logits(ids, null);
        try (LoadedCheckpoint loaded = CompressedCheckpointReader.load(out, TinyQuantizedModels.OPS)) {
            Map<String, QuantizationScheme> schemes = loaded.moduleSchemes();
            assertEquals("int-quantized", schemes.get("model.layers.1.self_attn.k_proj").format());
            assertEquals("pack-quantized", schemes.get("model.layers.1.mlp.up_proj").format());
            assertClose("mixed", expected, loaded.model().logits(ids, null), 1e-5);
        }
    }

    /** A bf16 model reloads in bf16, with bf16 scales, and matches its fake-quantized self. */
    @Test
    void bf16ModelsStayBf16() {
        ModelConfig config = TinyQuantizedModels.config(SyntheticModels.TINY, DType.BF16);
        CausalLM model = TinyQuantizedModels.build(config, TinyQuantizedModels.weights(config, 13, DType.BF16));
        QuantizationScheme scheme = weightOnly(QuantizationArgs.builder().numBits(4).symmetric(false).strategy(QuantizationStrategy.GROUP).groupSize(16).build());
        List<QuantizedModuleRef> refs = TinyQuantizedModels.quantize(model, scheme, IGNORE);
        Path out = dir.resolve("bf16");
        CompressedCheckpointWriter.save(model, config, null, refs, new QuantizationConfigSpec(List.of(scheme), IGNORE, null), null, out,
                WriteOptions.defaults());
        TinyQuantizedModels.fakeQuantize(refs);
        Tensor ids = TinyQuantizedModels.tokens(config, 9);
        Tensor expected = model.logits(ids, null);
        try (LoadedCheckpoint loaded = CompressedCheckpointReader.load(out, TinyQuantizedModels.OPS)) {
            var proj = loaded.model().submodule("model.layers.0.self_attn.q_proj");
            assertEquals(DType.BF16, proj.parameter("weight").dtype());
            assertEquals(DType.BF16, proj.parameter("weight_scale").dtype());
            assertEquals(DType.I8, proj.parameter("weight_zero_point").dtype(), "unpacked zero points");
            assertClose("bf16", expected, loaded.model().logits(ids, null), 1e-5);
        }
    }

    static double maxDifference(Tensor a, Tensor b) {
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        double worst = 0;
        for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
        return worst;
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double tolerance) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs((double) e[i] - a[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        double max = worst;
        int where = at;
        assertTrue(max <= tolerance, () -> what + ": logits differ by " + max + " at " + where + " (expected " + e[where] + ", got " + a[where] + ")");
    }
}
