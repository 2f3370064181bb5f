package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * One pre-norm transformer block (Hugging Face {@code LlamaDecoderLayer}):
 *
 * <pre>
 *   h   = x + self_attn(input_layernorm(x), positionEmbeddings, attentionMask)
 *   out = h + mlp(post_attention_layernorm(h))
 * </pre>
 *
 * forward(hidden [B, T, hidden], positionEmbeddings [2, B, T, headDim], attentionMask [B, T] or
 * null) → [B, T, hidden], F32. Children: {@code self_attn}, {@code mlp}, {@code input_layernorm},
 * {@code post_attention_layernorm}, looked up at every forward. This is the usual sequential target
 * of compression pipelines.
 */
public final class DecoderLayer extends Module {
    private final Ops ops;
    private final String typeName;

    public DecoderLayer(Ops ops, String typeName, Attention selfAttention, MLP mlp, RMSNorm inputLayerNorm, RMSNorm postAttentionLayerNorm) {
        this.ops = ops;
        this.typeName = typeName;
        registerModule("self_attn", selfAttention);
        registerModule("mlp", mlp);
        registerModule("input_layernorm", inputLayerNorm);
        registerModule("post_attention_layernorm", postAttentionLayerNorm);
    }

    @Override
    public String typeName() {
        return typeName;
    }

    /** inputs: hidden [B, T, hidden], positionEmbeddings [2, B, T, headDim], attentionMask [B, T] or null. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 2, 3);
        Tensor hidden = inputs[0];
        Tensor mask = ModuleInputs.optional(inputs, 2);
        Tensor attended = submodule("self_attn").call(submodule("input_layernorm").call(hidden), inputs[1], mask);
        hidden = ops.add(hidden, attended);
        Tensor mlpOut = submodule("mlp").call(submodule("post_attention_layernorm").call(hidden));
        return ops.add(hidden, mlpOut);
    }
}
