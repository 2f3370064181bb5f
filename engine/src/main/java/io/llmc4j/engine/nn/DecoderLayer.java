package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Map;

/**
 * One transformer block (Hugging Face {@code LlamaDecoderLayer} and its relatives): attention then
 * a feed-forward block, each added to the residual stream, with norms placed as
 * {@link NormPlacement} says. Llama's pre-norm form:
 *
 * <pre>
 *   h   = x + m·self_attn(input_layernorm(x), positionEmbeddings, attentionMask)
 *   out = h + m·mlp(post_attention_layernorm(h))
 * </pre>
 *
 * where m is the residual multiplier (Granite's {@code residual_multiplier}; 1 elsewhere).
 * forward(hidden [B, T, hidden], positionEmbeddings [2, B, T, headDim], attentionMask [B, T] or
 * null) → [B, T, hidden], F32. Children: {@code self_attn}, the feed-forward block (a {@link MLP}
 * or a {@link SparseMoeBlock}, under {@code mlp} or Mixtral's {@code block_sparse_moe}) and the
 * norms, looked up at every forward. This is the usual sequential target of compression pipelines.
 */
public final class DecoderLayer extends Module {
    private final Ops ops;
    private final String typeName;
    private final String feedForwardName;
    private final NormPlacement placement;
    private final float residualMultiplier;

    /** A Llama pre-norm layer with its feed-forward block at {@code mlp}. */
    public DecoderLayer(Ops ops, String typeName, Attention selfAttention, MLP mlp, RMSNorm inputLayerNorm, RMSNorm postAttentionLayerNorm) {
        this(ops, typeName, selfAttention, "mlp", mlp, NormPlacement.PRE,
                Map.of("input_layernorm", inputLayerNorm, "post_attention_layernorm", postAttentionLayerNorm), 1f);
    }

    /**
     * @param feedForwardName the Hugging Face name of the feed-forward block ("mlp", or Mixtral's "block_sparse_moe")
     * @param norms           exactly the norms {@code placement} names
     */
    public DecoderLayer(Ops ops, String typeName, Attention selfAttention, String feedForwardName, Module feedForward,
                        NormPlacement placement, Map<String, RMSNorm> norms, float residualMultiplier) {
        if (!norms.keySet().equals(java.util.Set.copyOf(placement.normNames())))
            throw new IllegalArgumentException(typeName + ": norms " + norms.keySet() + " do not match placement " + placement + " " + placement.normNames());
        if (!(residualMultiplier > 0)) throw new IllegalArgumentException(typeName + ": residual multiplier must be positive, got " + residualMultiplier);
        this.ops = ops;
        this.typeName = typeName;
        this.feedForwardName = feedForwardName;
        this.placement = placement;
        this.residualMultiplier = residualMultiplier;
        registerModule("self_attn", selfAttention);
        registerModule(feedForwardName, feedForward);
        for (String name : placement.normNames()) registerModule(name, norms.get(name));
    }

    @Override
    public String typeName() {
        return typeName;
    }

    public NormPlacement placement() {
        return placement;
    }

    /** inputs: hidden [B, T, hidden], positionEmbeddings [2, B, T, headDim], attentionMask [B, T] or null. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 2, 3);
        Tensor hidden = inputs[0];
        Tensor mask = ModuleInputs.optional(inputs, 2);
        Tensor attentionIn = placement == NormPlacement.POST ? hidden : submodule("input_layernorm").call(hidden);
        Tensor attended = submodule("self_attn").call(attentionIn, inputs[1], mask);
        if (placement != NormPlacement.PRE) attended = submodule("post_attention_layernorm").call(attended);
        hidden = residual(hidden, attended);
        Tensor feedIn = switch (placement) {
            case PRE -> submodule("post_attention_layernorm").call(hidden);
            case SANDWICH -> submodule("pre_feedforward_layernorm").call(hidden);
            case POST -> hidden;
        };
        Tensor fed = submodule(feedForwardName).call(feedIn);
        if (placement != NormPlacement.PRE) fed = submodule("post_feedforward_layernorm").call(fed);
        return residual(hidden, fed);
    }

    private Tensor residual(Tensor hidden, Tensor update) {
        return ops.add(hidden, residualMultiplier == 1f ? update : ops.scale(update, residualMultiplier));
    }
}
