package io.llmc4j.engine.ops.moe;

import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * The routing arithmetic of a sparse mixture-of-experts block (Hugging Face's
 * {@code MixtralSparseMoeBlock}, {@code Qwen2MoeSparseMoeBlock}, {@code Qwen3MoeSparseMoeBlock}),
 * as static functions over tensors:
 *
 * <pre>
 *   probabilities [N, E] ─topK─▶ per token: k experts (largest first, ties to the lower index) and weights
 *                                (renormalised to sum 1 when asked: norm_topk_prob, always for Mixtral)
 *   expert e's output rows ─addWeightedRows─▶ out[token] += weight · row   (experts in ascending order,
 *                                                                           as transformers' index_add_ loop)
 * </pre>
 *
 * These read tensor values, so a module using them cannot be traced inside (it stays a leaf of the
 * trace). F32 arithmetic; stateless and thread-safe.
 */
public final class ExpertRouting {
    private ExpertRouting() {
    }

    /**
     * Which experts each of {@code tokens} tokens goes to.
     *
     * @param chosen  [tokens·topK] expert indices, largest probability first per token
     * @param weights [tokens·topK] their weights
     */
    public record Routing(int tokens, int experts, int topK, int[] chosen, float[] weights) {
        /** The tokens routed to {@code expert}, ascending. */
        public int[] tokensOf(int expert) {
            int[] out = new int[tokens];
            int n = 0;
            for (int t = 0; t < tokens; t++)
                for (int j = 0; j < topK; j++) if (chosen[t * topK + j] == expert) out[n++] = t;
            return Arrays.copyOf(out, n);
        }

        /** The weights of {@code expert} for the tokens of {@link #tokensOf} (same order). */
        public float[] weightsOf(int expert) {
            float[] out = new float[tokens];
            int n = 0;
            for (int t = 0; t < tokens; t++)
                for (int j = 0; j < topK; j++) if (chosen[t * topK + j] == expert) out[n++] = weights[t * topK + j];
            return Arrays.copyOf(out, n);
        }

        /** Tokens routed to each expert. */
        public long[] tokenCounts() {
            long[] counts = new long[experts];
            for (int e : chosen) counts[e]++;
            return counts;
        }
    }

    /**
     * The {@code k} most probable experts of every row of {@code probabilities} [N, E] (torch.topk,
     * ties to the lower index), with their probabilities as weights, divided by their sum when
     * {@code normalize}.
     */
    public static Routing topK(Tensor probabilities, int k, boolean normalize) {
        if (probabilities.rank() != 2) throw new IllegalArgumentException("routing: probabilities must be [tokens, experts], got " + probabilities.shape());
        int tokens = Math.toIntExact(probabilities.dim(0)), experts = Math.toIntExact(probabilities.dim(1));
        if (k <= 0 || k > experts) throw new IllegalArgumentException("routing: top-k " + k + " must be in 1.." + experts);
        float[] p = probabilities.toFloatArray();
        int[] chosen = new int[tokens * k];
        float[] weights = new float[tokens * k];
        boolean[] taken = new boolean[experts];
        for (int t = 0; t < tokens; t++) {
            Arrays.fill(taken, false);
            float sum = 0;
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int e = 0; e < experts; e++)
                    if (!taken[e] && (best < 0 || p[t * experts + e] > p[t * experts + best])) best = e;
                taken[best] = true;
                chosen[t * k + j] = best;
                weights[t * k + j] = p[t * experts + best];
                sum += weights[t * k + j];
            }
            if (normalize) for (int j = 0; j < k; j++) weights[t * k + j] /= sum;
        }
        return new Routing(tokens, experts, k, chosen, weights);
    }

    /** Rows {@code rows} of {@code x} [N, H] as a new F32 tensor [rows.length, H]. */
    public static Tensor gatherRows(Tensor x, int[] rows) {
        if (x.rank() != 2) throw new IllegalArgumentException("gatherRows: x must be [tokens, features], got " + x.shape());
        int width = Math.toIntExact(x.dim(1));
        float[] all = x.toFloatArray(), out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) System.arraycopy(all, rows[i] * width, out, i * width, width);
        return Tensor.of(out, rows.length, width);
    }

    /**
     * out[rows[i]] += weights[i] · y[i] for each i, or, when {@code yByToken}, y[rows[i]] (y then holds
     * every token's row, as when an expert ran on all tokens). {@code out} is [N·width], row major.
     */
    public static void addWeightedRows(float[] out, int width, int[] rows, float[] weights, Tensor y, boolean yByToken) {
        if (y.rank() != 2 || y.dim(1) != width) throw new IllegalArgumentException("addWeightedRows: y must be [rows, " + width + "], got " + y.shape());
        float[] values = y.toFloatArray();
        for (int i = 0; i < rows.length; i++) {
            int from = (yByToken ? rows[i] : i) * width, to = rows[i] * width;
            for (int d = 0; d < width; d++) out[to + d] += values[from + d] * weights[i];
        }
    }

    /** values [N, H] · sigmoid(gate [N, 1]) row by row (Qwen2-MoE's shared expert gate). */
    public static Tensor sigmoidGated(Tensor values, Tensor gate) {
        if (values.rank() != 2 || gate.rank() != 2 || gate.dim(0) != values.dim(0) || gate.dim(1) != 1)
            throw new IllegalArgumentException("sigmoidGated: values " + values.shape() + " and gate " + gate.shape() + " must be [N, H] and [N, 1]");
        int width = Math.toIntExact(values.dim(1));
        float[] v = values.toFloatArray(), g = gate.toFloatArray();
        for (int t = 0; t < g.length; t++) {
            float s = (float) (1 / (1 + Math.exp(-g[t])));
            for (int d = 0; d < width; d++) v[t * width + d] *= s;
        }
        return Tensor.of(v, values.dim(0), width);
    }
}
