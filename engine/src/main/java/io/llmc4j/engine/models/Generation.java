package io.llmc4j.engine.models;

import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * Greedy decoding: repeatedly append the most likely next token. Each step reruns the whole
 * sequence (no KV cache), so a step costs a full forward; fine for tests and short checks. Ties go
 * to the lowest token id, as {@code torch.argmax}.
 */
public final class Generation {
    private Generation() {
    }

    /** The prompt followed by {@code maxNewTokens} greedily chosen tokens (as Hugging Face {@code generate} returns). */
    public static long[] greedy(CausalLM model, long[] prompt, int maxNewTokens) {
        return greedy(model, prompt, maxNewTokens, Set.of());
    }

    /**
     * The prompt followed by greedily chosen tokens: at most {@code maxNewTokens}, ending early
     * after the first token in {@code stopTokens} (which is kept).
     */
    public static long[] greedy(CausalLM model, long[] prompt, int maxNewTokens, Set<Long> stopTokens) {
        if (prompt.length == 0) throw new IllegalArgumentException("greedy decoding needs a non-empty prompt");
        if (maxNewTokens < 0) throw new IllegalArgumentException("maxNewTokens must be non-negative, got " + maxNewTokens);
        long[] sequence = Arrays.copyOf(prompt, prompt.length + maxNewTokens);
        int length = prompt.length;
        while (length < sequence.length) {
            Tensor logits = model.logits(Tensor.ofLongs(Arrays.copyOf(sequence, length), 1, length), null);
            long next = argmax(logits.select(0, 0).select(0, length - 1), length - 1);
            sequence[length++] = next;
            if (stopTokens.contains(next)) break;
        }
        return Arrays.copyOf(sequence, length);
    }

    /** Index of the first maximum of {@code row} [vocab]. */
    static long argmax(Tensor row, int position) {
        float[] values = row.toFloatArray();
        int best = -1;
        for (int v = 0; v < values.length; v++) {
            if (Float.isNaN(values[v])) throw new IllegalStateException("logit of token " + v + " at position " + position + " is NaN");
            if (best < 0 || values[v] > values[best]) best = v;
        }
        return best;
    }
}
