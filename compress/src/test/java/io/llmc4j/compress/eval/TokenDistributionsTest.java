package io.llmc4j.compress.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TokenDistributionsTest {

    @Test
    void klOfTwoHandComputedDistributions() {
        // p = softmax([0, ln 3]) = [1/4, 3/4]; q = softmax([0, 0]) = [1/2, 1/2]
        Tensor p = Tensor.of(new float[] {0f, (float) Math.log(3)}, 1, 2);
        Tensor q = Tensor.of(new float[] {0f, 0f}, 1, 2);
        double expected = 0.25 * Math.log(0.25 / 0.5) + 0.75 * Math.log(0.75 / 0.5);
        assertEquals(expected, TokenDistributions.klDivergenceSum(p, q), 1e-7);
    }

    @Test
    void nllOfUniformLogitsIsLogVocab() {
        Tensor logits = Tensor.of(new float[4 * 8], 4, 8);
        double nll = TokenDistributions.negativeLogLikelihoodSum(logits, new long[] {1, 2, 3, 4});
        assertEquals(3 * Math.log(8), nll, 1e-9);
    }

    @Property
    void klIsNonNegativeAndZeroOnItself(@ForAll @Size(min = 2, max = 40) float[] raw) {
        float[] logits = raw.clone();
        for (int i = 0; i < logits.length; i++) logits[i] = Math.max(-50, Math.min(50, Float.isFinite(logits[i]) ? logits[i] : 0));
        Tensor a = Tensor.of(logits, 1, logits.length);
        assertEquals(0, TokenDistributions.klDivergenceSum(a, a), 1e-9);
        float[] shifted = logits.clone();
        shifted[0] += 1;
        assertTrue(TokenDistributions.klDivergenceSum(a, Tensor.of(shifted, 1, shifted.length)) >= 0);
    }

    @Property
    void shiftingLogitsByAConstantChangesNothing(@ForAll @FloatRange(min = -20, max = 20) float shift) {
        float[] base = {0.5f, -1f, 2f, 0f};
        float[] moved = new float[base.length];
        for (int i = 0; i < base.length; i++) moved[i] = base[i] + shift;
        assertEquals(0, TokenDistributions.klDivergenceSum(Tensor.of(base, 1, 4), Tensor.of(moved, 1, 4)), 1e-5);
    }
}
