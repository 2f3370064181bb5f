package io.llmc4j.engine.models;

import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;

/**
 * Perplexity of a causal language model on token sequences: exp of the mean negative
 * log-likelihood of token i+1 given tokens 0..i, over every predicted token of every sequence
 * (the first token of a sequence is not predicted). Log-softmax is evaluated in double.
 *
 * @param totalNegativeLogLikelihood Σ −log p(token i+1 | tokens ≤ i), natural log
 * @param predictedTokens            how many tokens were predicted
 */
public record Perplexity(double totalNegativeLogLikelihood, long predictedTokens) {

    public Perplexity {
        if (predictedTokens < 0) throw new IllegalArgumentException("predicted token count must be non-negative, got " + predictedTokens);
    }

    /** Mean negative log-likelihood per predicted token (nats). */
    public double meanNegativeLogLikelihood() {
        if (predictedTokens == 0) throw new IllegalStateException("perplexity over no predicted tokens is undefined");
        return totalNegativeLogLikelihood / predictedTokens;
    }

    /** exp(mean negative log-likelihood). */
    public double value() {
        return Math.exp(meanNegativeLogLikelihood());
    }

    /** The perplexity over both token sets. */
    public Perplexity plus(Perplexity other) {
        return new Perplexity(totalNegativeLogLikelihood + other.totalNegativeLogLikelihood, predictedTokens + other.predictedTokens);
    }

    /** Runs {@code model} on each sequence (one at a time, batch 1, no mask) and pools the results. */
    public static Perplexity of(CausalLM model, List<long[]> sequences) {
        Perplexity total = new Perplexity(0, 0);
        for (long[] tokens : sequences) total = total.plus(of(model, tokens));
        return total;
    }

    /** Runs {@code model} on {@code tokens} (batch 1, no mask). A sequence shorter than 2 predicts nothing. */
    public static Perplexity of(CausalLM model, long[] tokens) {
        if (tokens.length < 2) return new Perplexity(0, 0);
        Tensor logits = model.logits(Tensor.ofLongs(tokens, 1, tokens.length), null);
        return fromLogits(logits.select(0, 0), tokens);
    }

    /** From logits [T, vocab] of {@code tokens} (length T): position i predicts token i+1. */
    public static Perplexity fromLogits(Tensor logits, long[] tokens) {
        if (logits.rank() != 2 || logits.dim(0) != tokens.length)
            throw new IllegalArgumentException("logits " + logits.shape() + " do not match " + tokens.length + " tokens as [tokens, vocab]");
        long vocab = logits.dim(1);
        double total = 0;
        for (int i = 0; i + 1 < tokens.length; i++) {
            long target = tokens[i + 1];
            if (target < 0 || target >= vocab) throw new IndexOutOfBoundsException("token " + target + " at position " + (i + 1) + " outside vocabulary of " + vocab);
            float[] row = logits.select(0, i).toFloatArray();
            double max = Double.NEGATIVE_INFINITY;
            for (float x : row) max = Math.max(max, x);
            double sum = 0;
            for (float x : row) sum += Math.exp(x - max);
            total += max + Math.log(sum) - row[(int) target];
        }
        return new Perplexity(total, tokens.length - 1);
    }
}
