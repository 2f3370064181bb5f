package io.llmc4j.compress.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.data.CalibrationDataset;
import io.llmc4j.compress.data.TokenSequence;
import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link Evaluator} against an oracle that runs each sequence alone and does the softmax math in double here. */
class EvaluatorTest {
    private static final Ops OPS = new Ops(KernelsFactory.createDefault());
    private static final ModelConfig CONFIG = SyntheticModels.preset(SyntheticModels.TINY);
    private static final CausalLM MODEL = model(1);
    private static final CausalLM OTHER = model(2);
    private static final long SEED = 20240611;
    private static final List<int[]> SEQUENCES = sequences(new Random(SEED), 1, 3, 7, 2, 5, 9, 4);

    private static CausalLM model(long seed) {
        return Models.build(CONFIG, new InMemoryTensorSource("synthetic " + seed, SyntheticModels.generate(CONFIG, seed, DType.F32)), OPS);
    }

    private static List<int[]> sequences(Random random, int... lengths) {
        List<int[]> out = new ArrayList<>();
        for (int length : lengths) out.add(random.ints(length, 0, CONFIG.vocabSize()).toArray());
        return out;
    }

    private static CalibrationDataset dataset(List<int[]> ids, List<int[]> masks) {
        List<TokenSequence> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) out.add(new TokenSequence(ids.get(i), masks == null ? null : masks.get(i), "test:" + (i + 1)));
        return new CalibrationDataset(out);
    }

    /** Σ over predicted positions of [−log p(next), KL(ref ‖ model)], one unpadded sequence at a time, in double. */
    private static double[] oracle(List<int[]> sequences, CausalLM reference) {
        double nll = 0, kl = 0, tokens = 0;
        for (int[] ids : sequences) {
            if (ids.length < 2) continue;
            Tensor input = Tensor.ofLongs(Arrays.stream(ids).asLongStream().toArray(), 1, ids.length);
            float[] logits = MODEL.logits(input, null).toFloatArray();
            float[] refLogits = reference == null ? null : reference.logits(input, null).toFloatArray();
            int vocab = CONFIG.vocabSize();
            for (int i = 0; i + 1 < ids.length; i++) {
                double[] logQ = logSoftmax(logits, i * vocab, vocab);
                nll -= logQ[ids[i + 1]];
                if (refLogits != null) {
                    double[] logP = logSoftmax(refLogits, i * vocab, vocab);
                    for (int v = 0; v < vocab; v++) kl += Math.exp(logP[v]) * (logP[v] - logQ[v]);
                }
                tokens++;
            }
        }
        return new double[] {nll, kl, tokens};
    }

    private static double[] logSoftmax(float[] row, int offset, int vocab) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int v = 0; v < vocab; v++) max = Math.max(max, row[offset + v]);
        for (int v = 0; v < vocab; v++) sum += Math.exp(row[offset + v] - max);
        double[] out = new double[vocab];
        for (int v = 0; v < vocab; v++) out[v] = row[offset + v] - max - Math.log(sum);
        return out;
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 3, 7})
    void perplexityAndKlMatchTheOracleWhateverTheBatchingAndPadding(int batchSize) {
        double[] expected = oracle(SEQUENCES, OTHER);
        EvalResult result = new Evaluator(batchSize, 0).evaluate(MODEL, OTHER, dataset(SEQUENCES, null));
        assertEquals((long) expected[2], result.tokens(), "seed " + SEED);
        assertEquals(SEQUENCES.size(), result.sequences());
        double perplexity = Math.exp(expected[0] / expected[2]);
        // Batches of other sizes change the GEMM blocking, hence the last float bits: compare to 1e-6.
        assertEquals(perplexity, result.perplexity(), perplexity * 1e-6, "seed " + SEED);
        assertEquals(expected[1] / expected[2], result.kl(), 1e-6 * Math.max(1, expected[1] / expected[2]), "seed " + SEED);
        assertTrue(result.kl() > 0);
    }

    @Test
    void withoutAReferenceKlIsNaN() {
        EvalResult result = new Evaluator(2, 0).evaluate(MODEL, dataset(SEQUENCES, null));
        assertFalse(result.hasKl());
        assertTrue(Double.isNaN(result.kl()));
        assertEquals(Math.log(result.perplexity()), result.meanNegativeLogLikelihood(), 1e-12);
    }

    @Test
    void aModelAgainstItselfHasKlExactlyZero() {
        assertEquals(0.0, new Evaluator(4, 0).evaluate(MODEL, MODEL, dataset(SEQUENCES, null)).kl());
    }

    /** A record mask that hides its tail is the same as the truncated sequence (right padding). */
    @Test
    void maskedTailPositionsAreNotPredicted() {
        int[] ids = SEQUENCES.get(5);
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 0, 6, 1);
        EvalResult masked = new Evaluator(1, 0).evaluate(MODEL, dataset(List.of(ids), List.of(mask)));
        EvalResult truncated = new Evaluator(1, 0).evaluate(MODEL, dataset(List.of(Arrays.copyOf(ids, 6)), null));
        assertEquals(5, masked.tokens());
        assertEquals(truncated.perplexity(), masked.perplexity(), truncated.perplexity() * 1e-6);
    }

    @Test
    void aDatasetWithNothingToPredictIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Evaluator(2, 0).evaluate(MODEL, dataset(List.of(new int[] {1}, new int[] {5}), null)));
        assertTrue(e.getMessage().contains("no token to predict in 2 sequences"), e.getMessage());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new EvalResult(1, Double.NaN, 0, 1));
    }
}
