package io.llmc4j.compress.observers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationStrategy;
import io.llmc4j.compress.quantization.QuantizationType;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObserverTest {
    private static final ObserverRegistry REGISTRY = ObserverRegistry.standard();
    private static final QuantizationArgs INT8_TENSOR = QuantizationArgs.builder().numBits(8).build();

    @Test
    void allOnesGiveTheLibraryScales() {
        // llm-compressor tests/llmcompressor/observers/test_min_max.py: 1/127.5 symmetric, 1/255 asymmetric with zp −128.
        Tensor ones = Tensor.of(filled(64, 1f), 4, 16);
        Observer sym = REGISTRY.create("minmax", ObservedRole.WEIGHT, INT8_TENSOR);
        sym.observe(ones);
        QParams s = sym.qparams();
        assertEquals(1f / 127.5f, s.scale().getFloat(0));
        QuantizationArgs asymArgs = QuantizationArgs.builder().numBits(8).symmetric(false).build();
        Observer asym = REGISTRY.create("minmax", ObservedRole.WEIGHT, asymArgs);
        asym.observe(ones);
        QParams a = asym.qparams();
        assertEquals(1f / 255f, a.scale().getFloat(0));
        assertEquals(-128, a.zeroPoint().getLong(0));
    }

    @Test
    void qparamsConsumesTheStatisticsAndCopiesAreIndependent() {
        Observer obs = REGISTRY.create("static_minmax", ObservedRole.INPUT, INT8_TENSOR);
        obs.observe(Tensor.of(new float[] {-1f, 2f}, 1, 1, 2));
        Observer copy = obs.copy();
        obs.observe(Tensor.of(new float[] {-3f, 1f}, 1, 1, 2));
        assertEquals(-3f, obs.minVals().getFloat(0));
        assertEquals(-1f, copy.minVals().getFloat(0));
        obs.qparams();
        assertFalse(obs.hasStatistics());
        IllegalStateException e = assertThrows(IllegalStateException.class, obs::qparams);
        assertTrue(e.getMessage().contains("static_minmax") && e.getMessage().contains("input"), e.getMessage());
        assertTrue(copy.hasStatistics());
    }

    @Test
    void movingAverageTakesTheFirstBatchAsIsThenLerps() {
        QuantizationArgs args = QuantizationArgs.builder().numBits(8).observer("minmax").build();
        Observer obs = REGISTRY.create(ObservedRole.INPUT, args);
        obs.observe(Tensor.of(new float[] {-1f, 1f}, 1, 1, 2));
        assertEquals(1f, obs.maxVals().getFloat(0));
        obs.observe(Tensor.of(new float[] {-2f, 3f}, 1, 1, 2));
        assertEquals(1f * 0.99f + 3f * 0.01f, obs.maxVals().getFloat(0));
        assertEquals(-1f * 0.99f + -2f * 0.01f, obs.minVals().getFloat(0));
    }

    @Test
    void emptyTensorsAreSkipped() {
        Observer obs = REGISTRY.create("memoryless_minmax", ObservedRole.INPUT, INT8_TENSOR);
        obs.observe(Tensor.allocate(DType.F32, 0, 4, 8));
        assertFalse(obs.hasStatistics());
    }

    @Test
    void canonicalLayoutsHaveTheLibraryShapes() {
        Tensor w = Tensor.of(new float[20 * 72], 20, 72);
        assertArrayEquals(new long[] {20, 1}, flatten(w, ObservedRole.WEIGHT, QuantizationArgs.builder().strategy(QuantizationStrategy.CHANNEL).build()));
        assertArrayEquals(new long[] {20, 9}, flatten(w, ObservedRole.WEIGHT, QuantizationArgs.builder().groupSize(8).build()));
        assertArrayEquals(new long[] {3, 5}, flatten(w, ObservedRole.WEIGHT,
                QuantizationArgs.builder().strategy(QuantizationStrategy.BLOCK).blockStructure(8, 16).build()));
        Tensor a = Tensor.of(new float[2 * 3 * 64], 2, 3, 64);
        assertArrayEquals(new long[] {1}, flatten(a, ObservedRole.INPUT, INT8_TENSOR));
        assertArrayEquals(new long[] {4}, flatten(a, ObservedRole.INPUT, QuantizationArgs.builder().groupSize(16).build()));
        Tensor qkv = Tensor.of(new float[2 * 4 * 3 * 8], 2, 4, 3, 8);
        assertArrayEquals(new long[] {4, 1, 1}, flatten(qkv, ObservedRole.K, QuantizationArgs.builder().strategy(QuantizationStrategy.ATTN_HEAD).build()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> flatten(a, ObservedRole.INPUT, QuantizationArgs.builder().strategy(QuantizationStrategy.CHANNEL).build()));
        assertEquals("Channel quantization cannot be applied to activations", e.getMessage());
    }

    @Test
    void attentionTensorLayoutGathersHeadsPerToken() {
        float[] v = new float[2 * 3 * 2];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Observation o = CalibrationLayout.flatten(Tensor.of(v, 1, 2, 3, 2), ObservedRole.Q, INT8_TENSOR);
        // token 0 = head 0 (0, 1) then head 1 (6, 7)
        assertArrayEquals(new float[] {0, 1, 6, 7}, Arrays.copyOf(o.values(), 4));
        assertEquals(3, o.observations());
    }

    @Test
    void blockPaddingZerosTakePartInTheRange() {
        float[] ones = filled(3 * 5, 1f);
        QuantizationArgs block = QuantizationArgs.builder().numBits(8).strategy(QuantizationStrategy.BLOCK).blockStructure(4, 4).build();
        Observer obs = REGISTRY.create("memoryless_minmax", ObservedRole.WEIGHT, block);
        obs.observe(Tensor.of(ones, 3, 5));
        assertArrayEquals(new float[] {0f, 0f}, TensorValues.read(obs.minVals()));
        assertArrayEquals(new float[] {1f, 1f}, TensorValues.read(obs.maxVals()));
    }

    @Test
    void mseShrinksTheRangeOfAnOutlierRow() {
        float[] w = new float[256];
        Random random = new Random(42);
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        w[17] = 12f;
        QuantizationArgs args = QuantizationArgs.builder().numBits(4).strategy(QuantizationStrategy.CHANNEL).observer("mse").build();
        Observer mse = REGISTRY.create(ObservedRole.WEIGHT, args);
        mse.observe(Tensor.of(w, 1, 256));
        float max = mse.maxVals().getFloat(0, 0);
        assertTrue(max <= 12f && max >= 12f * 0.8f, "max " + max);
        Observer minmax = REGISTRY.create("memoryless_minmax", ObservedRole.WEIGHT, args);
        minmax.observe(Tensor.of(w, 1, 256));
        assertEquals(12f, minmax.maxVals().getFloat(0, 0));
    }

    @Test
    void fusedObserversShareTheLargestGlobalScale() {
        QuantizationArgs nvfp4 = QuantizationArgs.builder().numBits(4).type(QuantizationType.FLOAT).strategy(QuantizationStrategy.TENSOR_GROUP)
                .groupSize(16).scaleDtype(DType.F8_E4M3).zpDtype(DType.F8_E4M3).build();
        Observer q = REGISTRY.create(ObservedRole.WEIGHT, nvfp4);
        Observer k = REGISTRY.create(ObservedRole.WEIGHT, nvfp4);
        q.observe(Tensor.of(filled(32, 0.5f), 2, 16));
        k.observe(Tensor.of(filled(32, 2f), 2, 16));
        QParams shared = q.qparams(List.of(k));
        assertEquals(2688f / 2f, shared.globalScale().getFloat(0));
        assertTrue(k.hasStatistics());
    }

    @Test
    void registryNamesAndErrors() {
        assertEquals(List.of("minmax", "static_minmax", "memoryless_minmax", "mse", "memoryless_mse"), List.copyOf(REGISTRY.names()));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> REGISTRY.create("histogram", ObservedRole.INPUT, INT8_TENSOR));
        assertTrue(unknown.getMessage().contains("histogram") && unknown.getMessage().contains("memoryless_mse"), unknown.getMessage());
        assertEquals("memoryless_minmax", ObserverRegistry.effectiveName(ObservedRole.WEIGHT, "static_minmax"));
        assertEquals("memoryless_mse", ObserverRegistry.effectiveName(ObservedRole.WEIGHT, "mse"));
        assertEquals("mse", ObserverRegistry.effectiveName(ObservedRole.INPUT, "mse"));
        QuantizationArgs badKwargs = QuantizationArgs.builder().observerKwargs(Map.of("averaging", 0.5)).build();
        QuantizationConfigException e = assertThrows(QuantizationConfigException.class, () -> REGISTRY.create("minmax", ObservedRole.INPUT, badKwargs));
        assertEquals("observer_kwargs.averaging", e.key());
        QuantizationArgs dynamic = QuantizationArgs.builder().strategy(QuantizationStrategy.TOKEN)
                .dynamic(io.llmc4j.compress.quantization.DynamicMode.DYNAMIC).build();
        assertThrows(IllegalArgumentException.class, () -> REGISTRY.create(ObservedRole.INPUT, dynamic));
        Observer custom = REGISTRY.with("mine", MemorylessMinMaxObserver::new).create("mine", ObservedRole.INPUT, INT8_TENSOR);
        assertEquals("memoryless_minmax", custom.name());
    }

    private static long[] flatten(Tensor t, ObservedRole role, QuantizationArgs args) {
        return CalibrationLayout.flatten(t, role, args).qparamShape();
    }

    private static float[] filled(int n, float v) {
        float[] out = new float[n];
        Arrays.fill(out, v);
        return out;
    }
}
