package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;

/**
 * The decoder stack without the output head (Hugging Face {@code LlamaModel}): token embedding,
 * the decoder layers in order, a final RMSNorm.
 *
 * <pre>
 *   ids ─embed_tokens─▶ h ─rotary_emb(shape)─▶ positionEmbeddings
 *   h ─layers.0─ ... ─layers.N−1─ norm ─▶ out
 * </pre>
 *
 * forward(inputIds [B, T] integer, attentionMask [B, T] or null) → hidden states [B, T, hidden],
 * F32. Children: {@code embed_tokens}, {@code layers} (a {@link ModuleList}), {@code norm},
 * {@code rotary_emb}, looked up at every forward.
 */
public final class DecoderModel extends Module {
    private final String typeName;

    public DecoderModel(String typeName, Embedding embedTokens, ModuleList layers, RMSNorm norm, RotaryEmbedding rotaryEmbedding) {
        this.typeName = typeName;
        registerModule("embed_tokens", embedTokens);
        registerModule("layers", layers);
        registerModule("norm", norm);
        registerModule("rotary_emb", rotaryEmbedding);
    }

    @Override
    public String typeName() {
        return typeName;
    }

    /** The decoder layers container. */
    public ModuleList layers() {
        return (ModuleList) submodule("layers");
    }

    /** inputs: inputIds [B, T], attentionMask [B, T] or null. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 2);
        Tensor mask = ModuleInputs.optional(inputs, 1);
        Tensor hidden = submodule("embed_tokens").call(inputs[0]);
        Tensor positionEmbeddings = submodule("rotary_emb").call(hidden);
        ModuleList layers = layers();
        for (int i = 0; i < layers.size(); i++) hidden = layers.get(i).call(hidden, positionEmbeddings, mask);
        return submodule("norm").call(hidden);
    }
}
