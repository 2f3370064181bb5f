package io.llmc4j.engine.nn;

/**
 * The per-layer variations of {@link Attention} that are not weights.
 *
 * @param scale         the factor on q·k: 1/√headDim (Llama), query_pre_attn_scalar^−½ (Gemma 2/3),
 *                      attention_multiplier (Granite)
 * @param slidingWindow keys visible to a query, itself included (Mistral, Gemma's sliding layers), or 0 for
 *                      full causal attention
 * @param softcap       attention logit soft-cap (Gemma 2's attn_logit_softcapping), or 0 for none
 * @param rotary        whether RoPE is applied (false for SmolLM3's NoPE layers)
 * @param qkNorm        where q_norm/k_norm act, if the layer has them
 */
public record AttentionOptions(float scale, int slidingWindow, float softcap, boolean rotary, QkNorm qkNorm) {

    /** Where the q/k normalisations act. */
    public enum QkNorm {
        /** No q/k norms. */
        NONE,
        /** Per head over head_dim, before RoPE (Qwen3, Gemma 3). */
        HEAD,
        /** Over the whole projection (heads·head_dim), before splitting into heads (OLMo 2). */
        PROJECTION
    }

    public AttentionOptions {
        if (!(scale > 0) || Float.isInfinite(scale)) throw new IllegalArgumentException("attention scale must be positive, got " + scale);
        if (slidingWindow < 0) throw new IllegalArgumentException("sliding window must be positive or 0 (none), got " + slidingWindow);
        if (!(softcap >= 0)) throw new IllegalArgumentException("attention soft-cap must be positive or 0 (none), got " + softcap);
        if (qkNorm == null) qkNorm = QkNorm.NONE;
    }

    /** Llama's attention: 1/√headDim, full causal, rotary, no q/k norm. */
    public static AttentionOptions standard(int headDim) {
        return new AttentionOptions((float) (1 / Math.sqrt(headDim)), 0, 0, true, QkNorm.NONE);
    }

    public AttentionOptions withSlidingWindow(int window) {
        return new AttentionOptions(scale, window, softcap, rotary, qkNorm);
    }

    public AttentionOptions withQkNorm(QkNorm norm) {
        return new AttentionOptions(scale, slidingWindow, softcap, rotary, norm);
    }
}
