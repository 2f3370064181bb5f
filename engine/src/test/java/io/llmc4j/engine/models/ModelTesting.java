package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.MapTensorSource;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/** Shared helpers for model tests: tiny configs, models over synthetic weights, comparisons. */
final class ModelTesting {
    static final Ops OPS = new Ops(new ReferenceKernels());

    private ModelTesting() {
    }

    /** Preset {@code name} with its config.json tree edited by {@code edit}. */
    static ModelConfig edited(String name, Consumer<ObjectNode> edit) {
        ObjectNode json = SyntheticModels.preset(name).json();
        edit.accept(json);
        return ModelConfig.fromJson(json, "test config (" + name + ")");
    }

    static CausalLM build(ModelConfig config, Map<String, Tensor> weights) {
        return Models.build(config, new MapTensorSource(weights, "synthetic " + config.modelType()), OPS);
    }

    static Map<String, Tensor> weights(ModelConfig config, long seed) {
        return SyntheticModels.generate(config, seed, DType.F32);
    }

    static long[][] randomIds(Random random, int batch, int tokens, int vocab) {
        long[][] ids = new long[batch][tokens];
        for (long[] row : ids) for (int t = 0; t < tokens; t++) row[t] = random.nextInt(vocab);
        return ids;
    }

    static Tensor idsTensor(long[][] ids) {
        long[] flat = new long[ids.length * ids[0].length];
        for (int b = 0; b < ids.length; b++) System.arraycopy(ids[b], 0, flat, b * ids[0].length, ids[0].length);
        return Tensor.ofLongs(flat, ids.length, ids[0].length);
    }

    static Tensor maskTensor(int[][] mask) {
        long[] flat = new long[mask.length * mask[0].length];
        for (int b = 0; b < mask.length; b++) for (int t = 0; t < mask[0].length; t++) flat[b * mask[0].length + t] = mask[b][t];
        return Tensor.ofLongs(flat, mask.length, mask[0].length);
    }

    /** max |actual − expected| over all logits; checks the shape [B, T, vocab] on the way. */
    static double maxAbsDiff(Tensor actual, double[][][] expected) {
        assertEquals(3, actual.rank(), "logits rank");
        assertEquals(expected.length, actual.dim(0));
        assertEquals(expected[0].length, actual.dim(1));
        assertEquals(expected[0][0].length, actual.dim(2));
        double max = 0;
        for (int b = 0; b < expected.length; b++)
            for (int t = 0; t < expected[b].length; t++)
                for (int v = 0; v < expected[b][t].length; v++)
                    max = Math.max(max, Math.abs(actual.getDouble(b, t, v) - expected[b][t][v]));
        return max;
    }
}
