package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;

/**
 * The root of a decoder-only language model (Hugging Face {@code LlamaForCausalLM} and its
 * Mistral/Qwen2/Qwen3 siblings): the {@link DecoderModel} at {@code model} and the output
 * projection at {@code lm_head}.
 *
 * <p>forward(inputIds [B, T] I64 or I32, attentionMask [B, T] of 1/0 or null) → logits
 * [B, T, vocab], F32. Positions are 0..T−1 in every row; a mask only hides padding keys, so pad on
 * the right.
 *
 * <p>Tied embeddings: when the checkpoint ties them, {@code lm_head.weight} is the very tensor of
 * {@code model.embed_tokens.weight}; {@link #tiedEmbeddings()} reports whether that is still so, and
 * writers then skip {@code lm_head.weight}. Replacing either weight with another tensor unties them.
 */
public final class CausalLM extends Module {
    private final String typeName;

    public CausalLM(String typeName, DecoderModel model, Linear lmHead) {
        this.typeName = typeName;
        registerModule("model", model);
        registerModule("lm_head", lmHead);
    }

    @Override
    public String typeName() {
        return typeName;
    }

    /** The decoder stack at {@code model}. */
    public DecoderModel model() {
        return (DecoderModel) submodule("model");
    }

    /** True while {@code lm_head.weight} and {@code model.embed_tokens.weight} are the same tensor. */
    public boolean tiedEmbeddings() {
        Tensor head = submodule("lm_head").parameter("weight");
        return head != null && head == submodule("model.embed_tokens").parameter("weight");
    }

    /** Runs the model with hooks: {@code call(inputIds, attentionMask)}; the mask may be null. */
    public Tensor logits(Tensor inputIds, Tensor attentionMask) {
        return call(inputIds, attentionMask);
    }

    /** inputs: inputIds [B, T], attentionMask [B, T] or null. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 2);
        Tensor ids = inputs[0];
        Tensor mask = ModuleInputs.optional(inputs, 1);
        if (ids.rank() != 2) throw new IllegalArgumentException(typeName + " expects input ids [batch, tokens], got " + ids.shape());
        if (ids.dtype().isFloatingPoint()) throw new IllegalArgumentException(typeName + " expects integer input ids, got " + ids.dtype());
        if (mask != null && !mask.shape().equals(ids.shape()))
            throw new IllegalArgumentException(typeName + ": attention mask " + mask.shape() + " does not match input ids " + ids.shape());
        Tensor hidden = submodule("model").call(ids, mask);
        return submodule("lm_head").call(hidden);
    }
}
