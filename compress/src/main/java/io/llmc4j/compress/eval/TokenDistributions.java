package io.llmc4j.compress.eval;

import io.llmc4j.engine.tensor.Tensor;

/**
 * Next-token statistics from logits, computed in double with a max-shifted log-sum-exp.
 *
 * <p>Logits are {@code [positions, vocab]} (any float dtype, any leading dims flattened into
 * positions); position i predicts token i+1 of the sequence. Stateless.
 */
public final class TokenDistributions {
    private TokenDistributions() {
    }

    /** Sum over positions of KL(p_ref ‖ p_test), where p = softmax(logits row). */
    public static double klDivergenceSum(Tensor referenceLogits, Tensor testLogits) {
        if (!referenceLogits.shape().equals(testLogits.shape()))
            throw new IllegalArgumentException("KL needs logits of one shape, got reference " + referenceLogits.shape() + " and test " + testLogits.shape());
        float[] ref = referenceLogits.toFloatArray();
        float[] test = testLogits.toFloatArray();
        int vocab = Math.toIntExact(referenceLogits.shape().last());
        double total = 0;
        for (int row = 0; row < ref.length / vocab; row++) total += klDivergence(ref, test, row * vocab, vocab);
        return total;
    }

    /**
     * KL(p_ref ‖ p_test) of one position: p = softmax of {@code vocab} logits starting at
     * {@code offset} in each array. Clamped at 0 (rounding can make it slightly negative).
     */
    public static double klDivergence(float[] reference, float[] test, int offset, int vocab) {
        double refNorm = logSumExp(reference, offset, vocab);
        double testNorm = logSumExp(test, offset, vocab);
        double kl = 0;
        for (int v = 0; v < vocab; v++) {
            double logP = reference[offset + v] - refNorm;
            double logQ = test[offset + v] - testNorm;
            kl += Math.exp(logP) * (logP - logQ);
        }
        return Math.max(kl, 0);
    }

    /**
     * −log softmax(row)[target] of one position: the row is {@code vocab} logits starting at
     * {@code offset}.
     *
     * @throws IllegalArgumentException when {@code target} is outside [0, vocab)
     */
    public static double negativeLogLikelihood(float[] logits, int offset, int vocab, long target) {
        if (target < 0 || target >= vocab) throw new IllegalArgumentException("token id " + target + " outside vocabulary of " + vocab);
        return logSumExp(logits, offset, vocab) - logits[offset + (int) target];
    }

    /**
     * Sum over positions i &lt; n−1 of −log softmax(logits[i])[tokens[i+1]]: the negative
     * log-likelihood of a sequence of n tokens whose logits are {@code [n, vocab]}.
     */
    public static double negativeLogLikelihoodSum(Tensor logits, long[] tokens) {
        float[] values = logits.toFloatArray();
        int vocab = Math.toIntExact(logits.shape().last());
        int positions = values.length / vocab;
        if (positions != tokens.length)
            throw new IllegalArgumentException(positions + " logit rows for " + tokens.length + " tokens");
        double total = 0;
        for (int i = 0; i + 1 < tokens.length; i++) {
            long next = tokens[i + 1];
            if (next < 0 || next >= vocab) throw new IllegalArgumentException("token id " + next + " at position " + (i + 1) + " outside vocabulary of " + vocab);
            total += negativeLogLikelihood(values, i * vocab, vocab, next);
        }
        return total;
    }

    static double logSumExp(float[] values, int at, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) max = Math.max(max, values[at + i]);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (int i = 0; i < count; i++) sum += Math.exp(values[at + i] - max);
        return max + Math.log(sum);
    }
}
