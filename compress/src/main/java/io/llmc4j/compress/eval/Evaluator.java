package io.llmc4j.compress.eval;

import io.llmc4j.compress.data.Batch;
import io.llmc4j.compress.data.CalibrationDataset;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.NonFiniteParameters;
import io.llmc4j.engine.tensor.NonFiniteValuesException;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Perplexity of a model on a token-id dataset and, optionally, the KL divergence of its next-token
 * distributions from a reference model's (LLM Compressor's quality checks for a compressed model
 * against the original).
 *
 * <pre>
 *   for each batch of batchSize sequences (right-padded, attention mask from {@link Batch}):
 *       logits      = model(input_ids, attention_mask)          [B, T, vocab]
 *       refLogits   = reference(input_ids, attention_mask)      [B, T, vocab]   (when given)
 *       for each position i with mask[i] = mask[i+1] = 1:
 *           nll += −log softmax(logits[b, i])[input_ids[b, i+1]]
 *           kl  += KL(softmax(refLogits[b, i]) ‖ softmax(logits[b, i]))
 *           tokens++
 *   perplexity = exp(nll / tokens),   kl = kl / tokens
 * </pre>
 * Sums are in double, in dataset order, so the result does not depend on the batch size beyond the
 * model's own rounding. Hooks on the models run as usual. Stateless apart from its settings;
 * thread-safe when the models are.
 */
public final class Evaluator {
    private final int batchSize;
    private final long padTokenId;

    /**
     * @param batchSize  sequences per forward pass
     * @param padTokenId the id written into padding (masked, so any id inside the vocabulary)
     */
    public Evaluator(int batchSize, long padTokenId) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (padTokenId < 0) throw new IllegalArgumentException("pad token id must be non-negative, got " + padTokenId);
        this.batchSize = batchSize;
        this.padTokenId = padTokenId;
    }

    /** Perplexity of {@code model} on {@code dataset}; {@link EvalResult#kl()} is NaN. */
    public EvalResult evaluate(CausalLM model, CalibrationDataset dataset) {
        return evaluate(model, null, dataset);
    }

    /**
     * Perplexity of {@code model} on {@code dataset}, and its KL divergence from {@code reference}
     * (null for none), which must share the vocabulary.
     *
     * @throws IllegalArgumentException when no token is predicted (every sequence is shorter than 2
     *                                  attended tokens), or the two models' vocabularies differ
     */
    public EvalResult evaluate(CausalLM model, CausalLM reference, CalibrationDataset dataset) {
        double nll = 0, kl = 0;
        long tokens = 0;
        int first = 0;
        for (Batch batch : dataset.batches(batchSize, padTokenId)) {
            Tensor logits = model.logits(batch.inputIds(), batch.attentionMask());
            Tensor referenceLogits = reference == null ? null : reference.logits(batch.inputIds(), batch.attentionMask());
            if (referenceLogits != null && !referenceLogits.shape().equals(logits.shape()))
                throw new IllegalArgumentException("the reference model's logits " + referenceLogits.shape()
                        + " do not match the model's " + logits.shape() + "; KL needs the same vocabulary");
            int vocab = Math.toIntExact(logits.dim(2));
            long[] ids = batch.inputIds().toLongArray();
            long[] mask = batch.attentionMask() == null ? null : batch.attentionMask().toLongArray();
            int length = batch.sequenceLength();
            for (int b = 0; b < batch.batchSize(); b++) {
                float[] rows = logits.select(0, b).toFloatArray();
                float[] referenceRows = referenceLogits == null ? null : referenceLogits.select(0, b).toFloatArray();
                int base = b * length;
                for (int i = 0; i + 1 < length; i++) {
                    if (mask != null && (mask[base + i] == 0 || mask[base + i + 1] == 0)) continue;
                    double tokenNll = TokenDistributions.negativeLogLikelihood(rows, i * vocab, vocab, ids[base + i + 1]);
                    if (!Double.isFinite(tokenNll)) throw nonFinite(model, "the model", dataset.get(first + b).origin(), i);
                    nll += tokenNll;
                    if (referenceRows != null) {
                        double tokenKl = TokenDistributions.klDivergence(referenceRows, rows, i * vocab, vocab);
                        if (!Double.isFinite(tokenKl)) throw nonFinite(reference, "the reference model", dataset.get(first + b).origin(), i);
                        kl += tokenKl;
                    }
                    tokens++;
                }
            }
            first += batch.batchSize();
        }
        if (tokens == 0)
            throw new IllegalArgumentException("no token to predict in " + dataset.size()
                    + " sequences: each needs at least 2 attended tokens");
        return new EvalResult(Math.exp(nll / tokens), reference == null ? Double.NaN : kl / tokens, tokens, dataset.size());
    }

    /**
     * Logits with NaN or Inf at {@code position} of sequence {@code origin}: the loss is not a number, so
     * fail naming the sequence and the parameters that hold such values. (When the model's logits are
     * finite, a non-finite KL term comes from the reference's.)
     */
    private static NonFiniteValuesException nonFinite(CausalLM model, String which, String origin, int position) {
        return new NonFiniteValuesException(which + "'s logits are not finite (NaN or Inf) at position " + position + " of sequence "
                + origin + "; " + NonFiniteParameters.summary(model));
    }
}
