package io.llmc4j.engine.models;

import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded temperature sampling: each new token is drawn from softmax(logits / temperature) of the
 * last position (computed in double, max-shifted), by inverse CDF with one uniform draw of a
 * {@link SplittableRandom}. The same model, prompt, temperature and seed give the same tokens.
 * Temperature 0 is greedy decoding ({@link Generation#greedy}). Like {@link Generation}, every step
 * reruns the whole sequence (no KV cache).
 */
public final class Sampling {
    private Sampling() {
    }

    /**
     * The prompt followed by at most {@code maxNewTokens} sampled tokens, ending early after the first
     * token in {@code stopTokens} (which is kept).
     *
     * @param temperature 0 for greedy decoding, else positive
     */
    public static long[] sample(CausalLM model, long[] prompt, int maxNewTokens, double temperature, long seed, Set<Long> stopTokens) {
        checkArguments(prompt, maxNewTokens, temperature);
        if (temperature == 0) return Generation.greedy(model, prompt, maxNewTokens, stopTokens);
        SplittableRandom random = new SplittableRandom(seed);
        long[] sequence = Arrays.copyOf(prompt, prompt.length + maxNewTokens);
        int length = prompt.length;
        while (length < sequence.length) {
            Tensor logits = model.logits(Tensor.ofLongs(Arrays.copyOf(sequence, length), 1, length), null);
            long next = drawToken(logits.select(0, 0).select(0, length - 1).toFloatArray(), temperature, random);
            sequence[length++] = next;
            if (stopTokens.contains(next)) break;
        }
        return Arrays.copyOf(sequence, length);
    }

    /**
     * {@code rows} sequences sampled side by side in one batch, each the prompt followed by exactly
     * {@code maxNewTokens} tokens (no stop tokens). At every step rows draw in row order from one
     * generator seeded with {@code seed}.
     */
    public static long[][] sampleRows(CausalLM model, long[] prompt, int rows, int maxNewTokens, double temperature, long seed) {
        checkArguments(prompt, maxNewTokens, temperature);
        if (rows <= 0) throw new IllegalArgumentException("rows must be positive, got " + rows);
        SplittableRandom random = new SplittableRandom(seed);
        int total = prompt.length + maxNewTokens;
        long[][] sequences = new long[rows][];
        for (int r = 0; r < rows; r++) sequences[r] = Arrays.copyOf(prompt, total);
        for (int length = prompt.length; length < total; length++) {
            long[] ids = new long[rows * length];
            for (int r = 0; r < rows; r++) System.arraycopy(sequences[r], 0, ids, r * length, length);
            Tensor logits = model.logits(Tensor.ofLongs(ids, rows, length), null);
            for (int r = 0; r < rows; r++) {
                Tensor last = logits.select(0, r).select(0, length - 1);
                sequences[r][length] = temperature == 0 ? Generation.argmax(last, length - 1)
                        : drawToken(last.toFloatArray(), temperature, random);
            }
        }
        return sequences;
    }

    /**
     * One token drawn from softmax(logits / temperature): the first id whose cumulative probability
     * exceeds a uniform draw in [0, 1). Ids of probability 0 are never drawn.
     *
     * @throws IllegalStateException naming the id when a logit is NaN
     */
    public static int drawToken(float[] logits, double temperature, SplittableRandom random) {
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be positive to sample, got " + temperature);
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < logits.length; v++) {
            if (Float.isNaN(logits[v])) throw new IllegalStateException("logit of token " + v + " is NaN");
            max = Math.max(max, logits[v]);
        }
        double[] weights = new double[logits.length];
        double sum = 0;
        for (int v = 0; v < logits.length; v++) {
            weights[v] = Math.exp((logits[v] - max) / temperature);
            sum += weights[v];
        }
        double u = random.nextDouble() * sum;
        double cumulative = 0;
        int last = 0;
        for (int v = 0; v < weights.length; v++) {
            if (weights[v] == 0) continue;
            cumulative += weights[v];
            last = v;
            if (u < cumulative) return v;
        }
        return last;
    }

    private static void checkArguments(long[] prompt, int maxNewTokens, double temperature) {
        if (prompt.length == 0) throw new IllegalArgumentException("sampling needs a non-empty prompt");
        if (maxNewTokens < 0) throw new IllegalArgumentException("maxNewTokens must be non-negative, got " + maxNewTokens);
        if (!(temperature >= 0) || Double.isInfinite(temperature))
            throw new IllegalArgumentException("temperature must be 0 (greedy) or a positive finite number, got " + temperature);
    }
}
