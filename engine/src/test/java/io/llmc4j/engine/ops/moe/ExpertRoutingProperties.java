package io.llmc4j.engine.ops.moe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.moe.ExpertRouting.Routing;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Top-k routing, against a sort-based selection written here; gathering and weighted accumulation. */
class ExpertRoutingProperties {

    @Property
    void topKPicksTheLargestProbabilitiesAndNormalises(@ForAll @IntRange(min = 1, max = 9) int experts, @ForAll @IntRange(min = 1, max = 9) int k,
                                                       @ForAll @IntRange(min = 1, max = 17) int tokens, @ForAll long seed) {
        k = Math.min(k, experts);
        Random random = new Random(seed);
        float[] p = new float[tokens * experts];
        for (int i = 0; i < p.length; i++) p[i] = random.nextFloat();
        Routing routing = ExpertRouting.topK(Tensor.of(p, tokens, experts), k, true);
        Routing raw = ExpertRouting.topK(Tensor.of(p, tokens, experts), k, false);
        long total = 0;
        for (int t = 0; t < tokens; t++) {
            final int row = t;
            Integer[] order = new Integer[experts];
            for (int e = 0; e < experts; e++) order[e] = e;
            Arrays.sort(order, (a, b) -> Float.compare(p[row * experts + b], p[row * experts + a]));   // stable: ties keep the lower index first
            double sum = 0, rawSum = 0;
            for (int j = 0; j < k; j++) {
                assertEquals(order[j], routing.chosen()[t * k + j], "token " + t + " choice " + j);
                rawSum += p[t * experts + order[j]];
                assertEquals(p[t * experts + order[j]], raw.weights()[t * k + j]);
                sum += routing.weights()[t * k + j];
            }
            assertEquals(1, sum, 1e-5, "normalised weights of token " + t);
            for (int j = 0; j < k; j++)
                assertEquals(p[t * experts + order[j]] / rawSum, routing.weights()[t * k + j], 1e-6);
        }
        for (int e = 0; e < experts; e++) {
            int[] rows = routing.tokensOf(e);
            assertEquals(rows.length, routing.weightsOf(e).length);
            assertEquals(rows.length, routing.tokenCounts()[e]);
            for (int i = 1; i < rows.length; i++) assertTrue(rows[i - 1] < rows[i], "ascending tokens");
            total += rows.length;
        }
        assertEquals((long) tokens * k, total, "each token goes to k experts");
    }

    @Test
    void gatherAndWeightedAccumulationPlaceRowsByToken() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor picked = ExpertRouting.gatherRows(x, new int[] {2, 0});
        assertArrayEquals(new float[] {5, 6, 1, 2}, picked.toFloatArray());
        float[] out = new float[6];
        ExpertRouting.addWeightedRows(out, 2, new int[] {2, 0}, new float[] {0.5f, 2f}, picked, false);
        assertArrayEquals(new float[] {2, 4, 0, 0, 2.5f, 3}, out);
        ExpertRouting.addWeightedRows(out, 2, new int[] {1}, new float[] {1f}, x, true);
        assertArrayEquals(new float[] {2, 4, 3, 4, 2.5f, 3}, out);
        Tensor gated = ExpertRouting.sigmoidGated(x, Tensor.of(new float[] {0, 100, -100}, 3, 1));
        assertArrayEquals(new float[] {0.5f, 1, 3, 4, 0, 0}, gated.toFloatArray(), 1e-6f);
    }
}
