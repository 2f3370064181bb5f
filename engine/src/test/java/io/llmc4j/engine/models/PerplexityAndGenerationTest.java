package io.llmc4j.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PerplexityAndGenerationTest {
    private static final ModelConfig TINY = SyntheticModels.preset(SyntheticModels.TINY);
    private static final CausalLM MODEL = ModelTesting.build(TINY, ModelTesting.weights(TINY, 21));

    /** The tiny model with lm_head zeroed: every logit 0, every token equally likely. */
    private static CausalLM uniform() {
        Map<String, Tensor> w = new LinkedHashMap<>(ModelTesting.weights(TINY, 21));
        w.put("lm_head.weight", Tensor.allocate(DType.F32, TINY.vocabSize(), TINY.hiddenSize()));
        return ModelTesting.build(TINY, w);
    }

    @Test
    void uniformModelHasPerplexityEqualToTheVocabulary() {
        Perplexity p = Perplexity.of(uniform(), new long[] {1, 5, 9, 200, 3});
        assertEquals(4, p.predictedTokens());
        assertEquals(TINY.vocabSize(), p.value(), 1e-9 * TINY.vocabSize());
    }

    @Test
    void fromLogitsIsTheMeanNegativeLogLikelihoodOfTheNextToken() {
        Tensor logits = Tensor.of(new float[] {0, 0, 0, 1, 2, 3, 5, 5, 5}, 3, 3);
        long[] tokens = {0, 2, 1};
        double nll1 = Math.log(3);
        double nll2 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 2;
        Perplexity p = Perplexity.fromLogits(logits, tokens);
        assertEquals(2, p.predictedTokens());
        assertEquals((nll1 + nll2) / 2, p.meanNegativeLogLikelihood(), 1e-12);
        assertEquals(Math.exp((nll1 + nll2) / 2), p.value(), 1e-12);
    }

    @Test
    void sequencesArePooledByToken() {
        long[] a = {1, 7, 8, 9}, b = {2, 3};
        Perplexity pa = Perplexity.of(MODEL, a), pb = Perplexity.of(MODEL, b);
        Perplexity both = Perplexity.of(MODEL, List.of(a, b, new long[] {4}));
        assertEquals(4, both.predictedTokens());
        assertEquals((pa.totalNegativeLogLikelihood() + pb.totalNegativeLogLikelihood()) / 4, both.meanNegativeLogLikelihood(), 1e-12);
        assertThrows(IllegalStateException.class, () -> Perplexity.of(MODEL, new long[] {4}).value());
        assertThrows(IndexOutOfBoundsException.class, () -> Perplexity.of(MODEL, new long[] {4, TINY.vocabSize()}));
    }

    @Test
    void greedyAppendsTheArgmaxOfAFullForwardAtEachStep() {
        long[] prompt = {1, 17, 42};
        long[] out = Generation.greedy(MODEL, prompt, 6);
        assertEquals(9, out.length);
        assertArrayEquals(prompt, Arrays.copyOf(out, 3));
        for (int n = 3; n < out.length; n++) {
            Tensor logits = MODEL.logits(Tensor.ofLongs(Arrays.copyOf(out, n), 1, n), null);
            long best = 0;
            for (long v = 1; v < TINY.vocabSize(); v++) if (logits.getFloat(0, n - 1, v) > logits.getFloat(0, n - 1, best)) best = v;
            assertEquals(best, out[n], "step " + (n - 3));
        }
        assertArrayEquals(out, Generation.greedy(MODEL, prompt, 6), "deterministic");
    }

    @Test
    void greedyStopsAfterAStopTokenAndBreaksTiesLow() {
        long[] full = Generation.greedy(MODEL, new long[] {1}, 5);
        long stop = full[3];
        long[] stopped = Generation.greedy(MODEL, new long[] {1}, 5, Set.of(stop));
        int firstStop = 1;
        while (full[firstStop] != stop) firstStop++;
        assertArrayEquals(Arrays.copyOf(full, firstStop + 1), stopped);
        assertArrayEquals(new long[] {1, 0, 0, 0}, Generation.greedy(uniform(), new long[] {1}, 3));
        assertArrayEquals(new long[] {5, 6}, Generation.greedy(MODEL, new long[] {5, 6}, 0));
        assertThrows(IllegalArgumentException.class, () -> Generation.greedy(MODEL, new long[0], 3));
    }
}
