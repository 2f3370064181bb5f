package io.llmc4j.compress.eval;

/**
 * What {@link Evaluator} measured over a dataset.
 *
 * @param perplexity exp(mean negative log-likelihood, natural log) over every predicted token
 * @param kl         mean over the same tokens of KL(p_reference ‖ p_model) of the next-token
 *                   distributions, in nats; {@link Double#NaN} when no reference model was given
 * @param tokens     predicted tokens counted: position i predicts token i+1 when both are attended
 *                   (padding and masked positions excluded)
 * @param sequences  sequences evaluated
 */
public record EvalResult(double perplexity, double kl, long tokens, int sequences) {
    public EvalResult {
        if (tokens <= 0) throw new IllegalArgumentException("an evaluation needs at least one predicted token, got " + tokens);
        if (sequences <= 0) throw new IllegalArgumentException("an evaluation needs at least one sequence, got " + sequences);
    }

    /** Whether {@link #kl()} was measured (a reference model was given). */
    public boolean hasKl() {
        return !Double.isNaN(kl);
    }

    /** Mean negative log-likelihood per predicted token (nats): log of the perplexity. */
    public double meanNegativeLogLikelihood() {
        return Math.log(perplexity);
    }
}
