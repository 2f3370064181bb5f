package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * DeepSeek's multi-head latent attention (transformers' {@code DeepseekV3Attention}): queries and
 * keys/values pass through low-rank latents, and each head's query/key is a non-rotary part
 * (qk_nope_head_dim) followed by a rotary part (qk_rope_head_dim) whose key is shared by all heads.
 *
 * <pre>
 *   q  = q_b_proj(q_a_layernorm(q_a_proj(x)))   [B,T,H,nope+rope]  (or q_proj(x) when q_lora_rank is null)
 *   kv = kv_a_proj_with_mqa(x) = [latent (kv_lora_rank) | k_rot (rope)]
 *   [k_nope | v] = kv_b_proj(kv_a_layernorm(latent))   [B,T,H,nope+v]
 *   q_rot, k_rot: RoPE (interleaved pairs de-interleaved first when rope_interleave)
 *   out = o_proj(attention([q_nope|q_rot], [k_nope|k_rot broadcast over heads], v, scale))
 * </pre>
 *
 * forward(hidden [B, T, hidden], positionEmbeddings [2, B, T, rope], attentionMask or null) →
 * [B, T, hidden], F32. When v_head_dim differs from nope+rope, v is zero-padded for the attention
 * kernel and the padding dropped from its output.
 */
public final class MultiLatentAttention extends Module {
    private final Ops ops;
    private final String typeName;
    private final int heads, nopeDim, ropeDim, valueDim, kvLoraRank;
    private final boolean interleaved;
    private final float scale;

    /**
     * @param query either {"q_a_proj", "q_a_layernorm", "q_b_proj"} or {"q_proj"}; then "kv_a_proj_with_mqa",
     *              "kv_a_layernorm", "kv_b_proj", "o_proj" — all given in {@code children} by name
     */
    public MultiLatentAttention(Ops ops, String typeName, int heads, int nopeDim, int ropeDim, int valueDim, int kvLoraRank, boolean interleaved,
                                float scale, java.util.Map<String, Module> children) {
        this.ops = ops;
        this.typeName = typeName;
        this.heads = heads;
        this.nopeDim = nopeDim;
        this.ropeDim = ropeDim;
        this.valueDim = valueDim;
        this.kvLoraRank = kvLoraRank;
        this.interleaved = interleaved;
        this.scale = scale;
        for (var e : children.entrySet()) registerModule(e.getKey(), e.getValue());
        for (String required : new String[] {"kv_a_proj_with_mqa", "kv_a_layernorm", "kv_b_proj", "o_proj"})
            if (!children.containsKey(required)) throw new IllegalArgumentException(typeName + ": '" + required + "' is missing");
        if (!children.containsKey("q_proj") && !children.containsKey("q_b_proj"))
            throw new IllegalArgumentException(typeName + ": needs q_proj or q_a_proj/q_a_layernorm/q_b_proj");
    }

    @Override
    public String typeName() {
        return typeName;
    }

    /** inputs: hidden [B, T, hidden], positionEmbeddings [2, B, T, rope], attentionMask [B, T] or null. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 2, 3);
        Tensor hidden = inputs[0], positions = inputs[1], mask = ModuleInputs.optional(inputs, 2);
        long batch = hidden.dim(0), tokens = hidden.dim(1);
        int qkDim = nopeDim + ropeDim;
        Tensor q = children().containsKey("q_proj") ? submodule("q_proj").call(hidden)
                : submodule("q_b_proj").call(submodule("q_a_layernorm").call(submodule("q_a_proj").call(hidden)));
        q = ops.reshape(q, batch, tokens, heads, qkDim);
        Tensor compressed = submodule("kv_a_proj_with_mqa").call(hidden);
        Tensor latent = ops.narrow(compressed, 2, 0, kvLoraRank);
        Tensor kRot = ops.reshape(ops.narrow(compressed, 2, kvLoraRank, ropeDim), batch, tokens, 1, ropeDim);
        Tensor kv = ops.reshape(submodule("kv_b_proj").call(submodule("kv_a_layernorm").call(latent)), batch, tokens, heads, nopeDim + valueDim);
        Tensor kNope = ops.narrow(kv, 3, 0, nopeDim), v = ops.narrow(kv, 3, nopeDim, valueDim);
        Tensor cos = ops.select(positions, 0, 0), sin = ops.select(positions, 0, 1);
        Tensor qRot = ops.rope(deinterleave(ops.narrow(q, 3, nopeDim, ropeDim), heads), cos, sin);
        kRot = ops.rope(deinterleave(kRot, 1), cos, sin);
        Tensor query = ops.concat(ops.narrow(q, 3, 0, nopeDim), qRot, 3);
        Tensor key = ops.concat(kNope, kRot, 3);
        if (valueDim != qkDim) v = valueDim < qkDim ? ops.concat(v, zeros(batch, tokens, qkDim - valueDim), 3) : v;
        if (valueDim > qkDim) throw new UnsupportedOperationException(typeName + ": v_head_dim " + valueDim + " > qk_head_dim " + qkDim);
        Tensor attended = ops.attention(query, key, v, mask, scale);
        if (valueDim != qkDim) attended = ops.narrow(attended, 3, 0, valueDim);
        return submodule("o_proj").call(ops.reshape(attended, batch, tokens, (long) heads * valueDim));
    }

    /** [B,T,h,d] with pairs (0,1),(2,3),… reordered to evens then odds ({@code apply_rotary_pos_emb_interleave}). */
    private Tensor deinterleave(Tensor x, int headCount) {
        if (!interleaved) return x;
        long batch = x.dim(0), tokens = x.dim(1);
        Tensor pairs = ops.reshape(x, batch, tokens, headCount, ropeDim / 2, 2);
        return ops.reshape(ops.transpose(pairs, 3, 4), batch, tokens, headCount, ropeDim);
    }

    private Tensor zeros(long batch, long tokens, long width) {
        return Tensor.allocate(DType.F32, batch, tokens, heads, width);
    }
}
