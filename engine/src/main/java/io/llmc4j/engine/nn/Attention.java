package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Causal multi-head self-attention with grouped key/value heads and rotary positions (Hugging Face
 * {@code LlamaAttention}; also Mistral, Qwen2 with q/k/v biases, Qwen3 with per-head
 * {@code q_norm}/{@code k_norm} applied before RoPE).
 *
 * <pre>
 *   hidden ─q_proj─▶ [B,T,H,D] ─(q_norm)─ rope ─┐
 *   hidden ─k_proj─▶ [B,T,K,D] ─(k_norm)─ rope ─┼─ attention(causal, mask, 1/√D) ─▶ [B,T,H·D] ─o_proj─▶ out
 *   hidden ─v_proj─▶ [B,T,K,D] ─────────────────┘
 * </pre>
 *
 * forward(hidden [B, T, hidden], positionEmbeddings [2, B, T, D] from {@link RotaryEmbedding},
 * attentionMask [B, T] of 1/0 or null) → [B, T, hidden], F32. H query heads share K = H/groups key
 * and value heads. Children are looked up at every forward.
 *
 * <p>Sliding-window attention (Mistral, Qwen2 with {@code use_sliding_window}) is not supported yet:
 * when a window is configured, sequences longer than the window are refused (shorter ones are
 * unaffected by the window, so their result is exact).
 */
public final class Attention extends Module {
    private final Ops ops;
    private final String typeName;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final boolean qkNorm;
    private final Integer slidingWindow;

    /**
     * An attention block over the given projections ([heads·headDim, hidden] for q, [kvHeads·headDim,
     * hidden] for k and v, [hidden, heads·headDim] for o).
     *
     * @param qNorm         per-head RMSNorm of the queries over headDim (Qwen3), or null
     * @param kNorm         per-head RMSNorm of the keys over headDim; given exactly when qNorm is
     * @param slidingWindow the configured window in tokens, or null for full causal attention
     */
    public Attention(Ops ops, String typeName, int heads, int kvHeads, int headDim,
                     Linear qProj, Linear kProj, Linear vProj, Linear oProj, RMSNorm qNorm, RMSNorm kNorm, Integer slidingWindow) {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0)
            throw new IllegalArgumentException(typeName + ": " + heads + " query heads is not a positive multiple of " + kvHeads + " key/value heads");
        if ((qNorm == null) != (kNorm == null)) throw new IllegalArgumentException(typeName + ": q_norm and k_norm come together");
        this.ops = ops;
        this.typeName = typeName;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.qkNorm = qNorm != null;
        this.slidingWindow = slidingWindow;
        registerModule("q_proj", qProj);
        registerModule("k_proj", kProj);
        registerModule("v_proj", vProj);
        registerModule("o_proj", oProj);
        if (qkNorm) {
            registerModule("q_norm", qNorm);
            registerModule("k_norm", kNorm);
        }
    }

    @Override
    public String typeName() {
        return typeName;
    }

    public int heads() {
        return heads;
    }

    public int kvHeads() {
        return kvHeads;
    }

    public int headDim() {
        return headDim;
    }

    /** inputs: hidden [B, T, hidden], positionEmbeddings [2, B, T, headDim], attentionMask [B, T] or null. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 2, 3);
        Tensor hidden = inputs[0];
        Tensor positions = inputs[1];
        Tensor mask = ModuleInputs.optional(inputs, 2);
        if (hidden.rank() != 3) throw new IllegalArgumentException(typeName + " expects hidden [batch, tokens, hidden], got " + hidden.shape());
        long batch = hidden.dim(0), tokens = hidden.dim(1);
        if (positions.rank() != 4 || positions.dim(0) != 2 || positions.dim(1) != batch || positions.dim(2) != tokens || positions.dim(3) != headDim)
            throw new IllegalArgumentException(typeName + " expects position embeddings [2, " + batch + ", " + tokens + ", " + headDim
                    + "], got " + positions.shape());
        if (slidingWindow != null && tokens > slidingWindow)
            throw new UnsupportedOperationException(typeName + ": " + tokens + " tokens exceed sliding_window " + slidingWindow
                    + "; sliding-window attention is not supported, use sequences of at most " + slidingWindow + " tokens");

        Tensor q = ops.reshape(submodule("q_proj").call(hidden), batch, tokens, heads, headDim);
        Tensor k = ops.reshape(submodule("k_proj").call(hidden), batch, tokens, kvHeads, headDim);
        Tensor v = ops.reshape(submodule("v_proj").call(hidden), batch, tokens, kvHeads, headDim);
        if (qkNorm) {
            q = submodule("q_norm").call(q);
            k = submodule("k_norm").call(k);
        }
        Tensor cos = ops.select(positions, 0, 0);
        Tensor sin = ops.select(positions, 0, 1);
        q = ops.rope(q, cos, sin);
        k = ops.rope(k, cos, sin);
        Tensor attended = ops.attention(q, k, v, mask, (float) (1 / Math.sqrt(headDim)));
        return submodule("o_proj").call(ops.reshape(attended, batch, tokens, (long) heads * headDim));
    }
}
