package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;

/**
 * The decoder stack without the output head (Hugging Face {@code LlamaModel}): token embedding
 * (times an embedding scale: Gemma's √hidden, Granite's embedding_multiplier; 1 elsewhere), the
 * decoder layers in order, a final RMSNorm.
 *
 * <pre>
 *   ids ─embed_tokens─(·scale)─▶ h ─rotary_emb(shape)─▶ positionEmbeddings (rotary_emb_local: a second table)
 *   h ─layers.0─ ... ─layers.N−1─ norm ─▶ out
 * </pre>
 *
 * Layer i gets the table {@code ropeTableOfLayer[i]} (0: {@code rotary_emb}, 1:
 * {@code rotary_emb_local}, Gemma 3's sliding layers). forward(inputIds [B, T] integer,
 * attentionMask [B, T] or null) → hidden states [B, T, hidden], F32. Children are looked up at
 * every forward.
 */
public final class DecoderModel extends Module {
    private final Ops ops;
    private final String typeName;
    private final float embeddingScale;
    private final int[] ropeTableOfLayer;

    /** A Llama stack: unscaled embeddings, one rotary table. */
    public DecoderModel(String typeName, Embedding embedTokens, ModuleList layers, RMSNorm norm, RotaryEmbedding rotaryEmbedding) {
        this(null, typeName, embedTokens, 1f, layers, norm, List.of(rotaryEmbedding), new int[layers.size()]);
    }

    /**
     * @param ops              computes the embedding scale (may be null when the scale is 1)
     * @param rotaryEmbeddings {@code rotary_emb}, then optionally {@code rotary_emb_local}
     * @param ropeTableOfLayer for each layer, the index of its rotary table
     */
    public DecoderModel(Ops ops, String typeName, Embedding embedTokens, float embeddingScale, ModuleList layers, RMSNorm norm,
                        List<RotaryEmbedding> rotaryEmbeddings, int[] ropeTableOfLayer) {
        if (rotaryEmbeddings.isEmpty() || rotaryEmbeddings.size() > 2)
            throw new IllegalArgumentException(typeName + ": one or two rotary tables expected, got " + rotaryEmbeddings.size());
        if (ropeTableOfLayer.length != layers.size())
            throw new IllegalArgumentException(typeName + ": " + ropeTableOfLayer.length + " rotary table choices for " + layers.size() + " layers");
        for (int table : ropeTableOfLayer)
            if (table < 0 || table >= rotaryEmbeddings.size()) throw new IllegalArgumentException(typeName + ": no rotary table " + table);
        if (embeddingScale != 1f && ops == null) throw new IllegalArgumentException(typeName + ": an embedding scale needs ops");
        this.ops = ops;
        this.typeName = typeName;
        this.embeddingScale = embeddingScale;
        this.ropeTableOfLayer = ropeTableOfLayer.clone();
        registerModule("embed_tokens", embedTokens);
        registerModule("layers", layers);
        registerModule("norm", norm);
        registerModule("rotary_emb", rotaryEmbeddings.get(0));
        if (rotaryEmbeddings.size() == 2) registerModule("rotary_emb_local", rotaryEmbeddings.get(1));
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
        if (embeddingScale != 1f) hidden = ops.scale(hidden, embeddingScale);
        Tensor[] tables = new Tensor[children().containsKey("rotary_emb_local") ? 2 : 1];
        tables[0] = submodule("rotary_emb").call(hidden);
        if (tables.length == 2) tables[1] = submodule("rotary_emb_local").call(hidden);
        ModuleList layers = layers();
        for (int i = 0; i < layers.size(); i++) hidden = layers.get(i).call(hidden, tables[ropeTableOfLayer[i]], mask);
        return submodule("norm").call(hidden);
    }
}
