package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.Zoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported zoo architecture's logits match transformers' within 1e-4 of the largest logit,
 * and a BF16 copy of its weights matches the logits of those BF16 weights widened to F32.
 */
class ZooLogitsTest {
    private static final Ops OPS = new Ops(KernelsFactory.createDefault());

    static List<String> supported() {
        return Zoo.SUPPORTED;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void logitsMatchTransformers(String architecture) throws Exception {
        Path dir = Zoo.require(architecture);
        long[][] ids = Zoo.tokens(dir);
        Tensor expected = Zoo.expectedLogits(dir);
        try (LoadedModel loaded = LoadedModel.open(dir, OPS)) {
            assertEquals(architecture, loaded.config().modelType());
            float[] actual = logits(loaded.model(), ids);
            double error = Zoo.relativeError(actual, expected.toFloatArray());
            System.out.printf("zoo %-12s logits max error / max |logit| = %.3g%n", architecture, error);
            assertTrue(error <= Zoo.TOLERANCE, architecture + ": relative logit error " + error + " > " + Zoo.TOLERANCE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void aBf16CopyMatchesItsWidenedWeights(String architecture) throws Exception {
        Path dir = Zoo.require(architecture);
        long[][] ids = Zoo.tokens(dir);
        ModelConfig config = LoadedModel.readConfig(dir);
        Map<String, Tensor> bf16 = new LinkedHashMap<>(), widened = new LinkedHashMap<>();
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(dir)) {
            for (String name : weights.names()) {
                Tensor narrow = weights.get(name).to(DType.BF16);
                bf16.put(name, narrow);
                widened.put(name, narrow.to(DType.F32));
            }
        }
        CausalLM narrowModel = Models.build(config, new InMemoryTensorSource("bf16 " + architecture, bf16), OPS);
        CausalLM wideModel = Models.build(config, new InMemoryTensorSource("widened " + architecture, widened), OPS);
        float[] narrowLogits = logits(narrowModel, ids), wideLogits = logits(wideModel, ids);
        double error = Zoo.relativeError(narrowLogits, wideLogits);
        assertTrue(error <= Zoo.TOLERANCE, architecture + " BF16: relative logit error " + error + " > " + Zoo.TOLERANCE);
        double drift = Zoo.relativeError(narrowLogits, Zoo.expectedLogits(dir).toFloatArray());
        assertTrue(drift > 0, architecture + ": BF16 rounding must change the logits a little");
    }

    @Test
    void everyZooArchitectureIsSupportedOrListedAsNotYet() throws Exception {
        List<String> listed = new ArrayList<>(Zoo.SUPPORTED);
        listed.addAll(Zoo.NOT_YET);
        List<String> indexed = Zoo.indexedModels();
        assertEquals(indexed.stream().sorted().toList(), listed.stream().sorted().toList());
        for (String type : Zoo.SUPPORTED) assertTrue(Architecture.supportedTypes().contains(type), type);
        for (String type : Zoo.NOT_YET) assertTrue(!Architecture.supportedTypes().contains(type), type + " is supported now: move it");
    }

    /** Logits of all sequences, one batch, [sequences, positions, vocab] flattened. */
    static float[] logits(CausalLM model, long[][] ids) {
        long[] flat = new long[ids.length * ids[0].length];
        for (int s = 0; s < ids.length; s++) System.arraycopy(ids[s], 0, flat, s * ids[0].length, ids[0].length);
        return model.logits(Tensor.ofLongs(flat, ids.length, ids[0].length), null).toFloatArray();
    }
}
