package io.llmc4j.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A sparse MoE block against a dense formula written here, and its calibration mode: every expert
 * sees every token while hooks are on, the output stays the routed one, and an expert that no token
 * chooses is never called outside calibration.
 */
class SparseMoeBlockTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());
    private static final int HIDDEN = 6, INTERMEDIATE = 5, EXPERTS = 4, TOP_K = 2, TOKENS = 11;

    /** Expert 3's router row is strongly negative on positive inputs: it is never among the top 2. */
    private static SparseMoeBlock block(Random random, boolean shared) {
        Tensor router = TinyModels.random(random, 1, EXPERTS, HIDDEN);
        for (int h = 0; h < HIDDEN; h++) router.setFloat(-10f, 3, h);
        List<MLP> experts = new ArrayList<>();
        for (int e = 0; e < EXPERTS; e++) experts.add(mlp(random, INTERMEDIATE));
        return new SparseMoeBlock(OPS, "TestSparseMoeBlock", new TopKRouter(OPS, "TestTopKRouter", router), experts, TOP_K, true,
                shared ? mlp(random, 3) : null, shared ? new Linear(OPS, TinyModels.random(random, 1, 1, HIDDEN), null) : null);
    }

    private static MLP mlp(Random random, int intermediate) {
        return new MLP(OPS, "TestMLP", new Linear(OPS, TinyModels.random(random, 1, intermediate, HIDDEN), null),
                new Linear(OPS, TinyModels.random(random, 1, intermediate, HIDDEN), null),
                new Linear(OPS, TinyModels.random(random, 1, HIDDEN, intermediate), null), Activation.SILU);
    }

    private static Tensor positiveInput(Random random) {
        Tensor x = TinyModels.random(random, 1, 1, TOKENS, HIDDEN);
        for (long i = 0; i < x.elementCount(); i++) x.setFlat(i, Math.abs(x.getFlat(i)) + 0.1);
        return x;
    }

    @Test
    void routedOutputMatchesTheDenseFormula() {
        Random random = new Random(3);
        for (boolean shared : new boolean[] {false, true}) {
            SparseMoeBlock block = block(random, shared);
            Tensor x = positiveInput(random);
            Tensor flat = x.reshape(TOKENS, HIDDEN);
            float[] actual = block.call(x).toFloatArray();
            float[] probabilities = OPS.softmax(block.submodule("gate").call(flat)).toFloatArray();
            float[] expected = new float[TOKENS * HIDDEN];
            for (int t = 0; t < TOKENS; t++) {
                int first = -1, second = -1;
                for (int e = 0; e < EXPERTS; e++) {
                    float p = probabilities[t * EXPERTS + e];
                    if (first < 0 || p > probabilities[t * EXPERTS + first]) {
                        second = first;
                        first = e;
                    } else if (second < 0 || p > probabilities[t * EXPERTS + second]) {
                        second = e;
                    }
                }
                double norm = probabilities[t * EXPERTS + first] + probabilities[t * EXPERTS + second];
                Tensor row = flat.narrow(0, t, 1).contiguous();
                for (int e : new int[] {first, second}) {
                    float[] y = block.submodule("experts." + e).call(row).toFloatArray();
                    for (int h = 0; h < HIDDEN; h++) expected[t * HIDDEN + h] += (float) (probabilities[t * EXPERTS + e] / norm * y[h]);
                }
                if (shared) {
                    float[] s = block.submodule("shared_expert").call(row).toFloatArray();
                    double g = 1 / (1 + Math.exp(-block.submodule("shared_expert_gate").call(row).getFlat(0)));
                    for (int h = 0; h < HIDDEN; h++) expected[t * HIDDEN + h] += (float) (g * s[h]);
                }
            }
            assertArrayEquals(expected, actual, 1e-5f, "shared expert " + shared);
        }
    }

    @Test
    void calibrationRunsEveryExpertOnEveryTokenButKeepsTheRoutedOutput() {
        Random random = new Random(5);
        SparseMoeBlock block = block(random, false);
        Tensor x = positiveInput(random);
        List<Long> seen = new ArrayList<>();
        for (int e = 0; e < EXPERTS; e++) {
            int expert = e;
            block.submodule("experts." + e + ".gate_proj").registerForwardPreHook((m, in) -> {
                seen.add(expert * 1000L + in[0].dim(0));
                return null;
            });
        }
        float[] routed = block.call(x).toFloatArray();
        assertTrue(seen.stream().noneMatch(s -> s / 1000 == 3), "expert 3 is chosen by no token and not called: " + seen);
        assertTrue(seen.stream().allMatch(s -> s % 1000 > 0), "no expert is called on an empty tensor: " + seen);
        assertArrayEquals(new long[] {0, 0, 0, 0}, new long[] {0, 0, 0, block.routedTokenCounts()[3]});
        assertEquals((long) TOKENS * TOP_K, java.util.Arrays.stream(block.routedTokenCounts()).sum());

        seen.clear();
        block.setCalibrateAllExperts(true);
        float[] calibrated = block.call(x).toFloatArray();
        assertEquals(List.of(TOKENS + 0L, 1000L + TOKENS, 2000L + TOKENS, 3000L + TOKENS), seen, "every expert sees all tokens");
        assertArrayEquals(routed, calibrated, 1e-6f, "the output is still the routed one");

        seen.clear();
        try (var _ = HookSwitch.disable()) {
            assertArrayEquals(routed, block.call(x).toFloatArray(), 1e-6f);
        }
        assertEquals(List.of(), seen, "with hooks off (propagation) no hook runs");
        block.resetRoutedTokenCounts();
        assertArrayEquals(new long[EXPERTS], block.routedTokenCounts());
    }
}
