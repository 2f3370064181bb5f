package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The root of a decoder-only language model (Hugging Face {@code LlamaForCausalLM} and its
 * siblings): the {@link DecoderModel} at {@code model} and the output projection at
 * {@code lm_head}, whose logits are optionally scaled (Granite) and soft-capped (Gemma 2).
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
    private final Ops ops;
    private final String typeName;
    private final float logitScale;
    private final float finalSoftcap;

    public CausalLM(String typeName, DecoderModel model, Linear lmHead) {
        this(null, typeName, model, lmHead, 1f, 0f);
    }

    /**
     * @param ops          computes the logit scale and soft-cap (may be null when neither applies)
     * @param logitScale   factor on the logits (Granite: 1/logits_scaling; 1 elsewhere)
     * @param finalSoftcap cap·tanh(logits/cap) (Gemma 2's final_logit_softcapping), or 0 for none
     */
    public CausalLM(Ops ops, String typeName, DecoderModel model, Linear lmHead, float logitScale, float finalSoftcap) {
        if (!(logitScale > 0) || !(finalSoftcap >= 0))
            throw new IllegalArgumentException(typeName + ": logit scale must be positive and soft-cap positive or 0, got " + logitScale + ", " + finalSoftcap);
        if (ops == null && (logitScale != 1f || finalSoftcap != 0f)) throw new IllegalArgumentException(typeName + ": logit scaling needs ops");
        this.ops = ops;
        this.typeName = typeName;
        this.logitScale = logitScale;
        this.finalSoftcap = finalSoftcap;
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
        Tensor logits = submodule("lm_head").call(hidden);
        if (logitScale != 1f) logits = ops.scale(logits, logitScale);
        return finalSoftcap > 0 ? ops.softcap(logits, finalSoftcap) : logits;
    }
}
