package io.llmc4j.engine.nn;

import io.llmc4j.engine.nn.AttentionOptions.QkNorm;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Map;

/**
 * Causal multi-head self-attention with grouped key/value heads and rotary positions (Hugging Face
 * {@code LlamaAttention} and its relatives: Qwen2's q/k/v biases, Qwen3's and Gemma 3's per-head
 * q/k norms, OLMo 2's q/k norms over the whole projection, Phi-3's fused {@code qkv_proj}, sliding
 * windows, Gemma 2's soft-capping, SmolLM3's NoPE layers, gpt-oss's sinks; see {@link AttentionOptions}).
 *
 * <pre>
 *   hidden ─q_proj─(q_norm: PROJECTION)─▶ [B,T,H,D] ─(q_norm: HEAD)─ rope ─┐
 *   hidden ─k_proj─(k_norm: PROJECTION)─▶ [B,T,K,D] ─(k_norm: HEAD)─ rope ─┼─ attention(causal, window, softcap, mask, scale)
 *   hidden ─v_proj──────────────────────▶ [B,T,K,D] ───────────────────────┘        ─▶ [B,T,H·D] ─o_proj─▶ out
 *   (Phi-3: q, k, v are the three column blocks of one qkv_proj output)
 * </pre>
 *
 * forward(hidden [B, T, hidden], positionEmbeddings [2, B, T, D] from {@link RotaryEmbedding},
 * attentionMask [B, T] of 1/0 or null) → [B, T, hidden], F32. H query heads share K = H/groups key
 * and value heads. Children are looked up at every forward.
 */
public final class Attention extends Module {
    private final Ops ops;
    private final String typeName;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final boolean fusedQkv;
    private final AttentionOptions options;

    /**
     * An attention block over the given projections: {@code q_proj} [heads·headDim, hidden],
     * {@code k_proj}, {@code v_proj} [kvHeads·headDim, hidden] (or instead one {@code qkv_proj}
     * [(heads + 2·kvHeads)·headDim, hidden]) and {@code o_proj} [hidden, heads·headDim].
     *
     * @param projections the Linears by Hugging Face name
     * @param qNorm       q_norm ([headDim] for HEAD, [heads·headDim] for PROJECTION), or null when options say NONE
     * @param kNorm       k_norm, likewise
     */
    public Attention(Ops ops, String typeName, int heads, int kvHeads, int headDim, Map<String, Linear> projections,
                     RMSNorm qNorm, RMSNorm kNorm, AttentionOptions options) {
        this(ops, typeName, heads, kvHeads, headDim, projections, qNorm, kNorm, options, null);
    }

    /** @param sinks gpt-oss's per-head attention sink logits [heads] (parameter {@code sinks}), or null */
    public Attention(Ops ops, String typeName, int heads, int kvHeads, int headDim, Map<String, Linear> projections,
                     RMSNorm qNorm, RMSNorm kNorm, AttentionOptions options, Tensor sinks) {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0)
            throw new IllegalArgumentException(typeName + ": " + heads + " query heads is not a positive multiple of " + kvHeads + " key/value heads");
        if ((qNorm != null) != (options.qkNorm() != QkNorm.NONE) || (kNorm != null) != (options.qkNorm() != QkNorm.NONE))
            throw new IllegalArgumentException(typeName + ": q_norm and k_norm must be given exactly when the q/k norm is " + options.qkNorm());
        this.ops = ops;
        this.typeName = typeName;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.options = options;
        this.fusedQkv = projections.containsKey("qkv_proj");
        for (String name : fusedQkv ? new String[] {"qkv_proj", "o_proj"} : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
            Linear projection = projections.get(name);
            if (projection == null) throw new IllegalArgumentException(typeName + ": projection '" + name + "' is missing; given " + projections.keySet());
            registerModule(name, projection);
        }
        if (projections.size() != (fusedQkv ? 2 : 4))
            throw new IllegalArgumentException(typeName + ": unexpected projections " + projections.keySet());
        if (qNorm != null) {
            registerModule("q_norm", qNorm);
            registerModule("k_norm", kNorm);
        }
        if (sinks != null) {
            if (sinks.rank() != 1 || sinks.dim(0) != heads) throw new IllegalArgumentException(typeName + ": sinks must be [" + heads + "], got " + sinks.shape());
            registerParameter("sinks", sinks);
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

    public AttentionOptions options() {
        return options;
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
        long qWidth = (long) heads * headDim, kvWidth = (long) kvHeads * headDim;
        Tensor q, k, v;
        if (fusedQkv) {
            Tensor qkv = submodule("qkv_proj").call(hidden);
            q = ops.narrow(qkv, 2, 0, qWidth);
            k = ops.narrow(qkv, 2, qWidth, kvWidth);
            v = ops.narrow(qkv, 2, qWidth + kvWidth, kvWidth);
        } else {
            q = submodule("q_proj").call(hidden);
            k = submodule("k_proj").call(hidden);
            v = submodule("v_proj").call(hidden);
        }
        if (options.qkNorm() == QkNorm.PROJECTION) {
            q = submodule("q_norm").call(q);
            k = submodule("k_norm").call(k);
        }
        q = ops.reshape(q, batch, tokens, heads, headDim);
        k = ops.reshape(k, batch, tokens, kvHeads, headDim);
        v = ops.reshape(v, batch, tokens, kvHeads, headDim);
        if (options.qkNorm() == QkNorm.HEAD) {
            q = submodule("q_norm").call(q);
            k = submodule("k_norm").call(k);
        }
        if (options.rotary()) {
            Tensor cos = ops.select(positions, 0, 0);
            Tensor sin = ops.select(positions, 0, 1);
            q = ops.rope(q, cos, sin);
            k = ops.rope(k, cos, sin);
        }
        Tensor attended = ops.attention(q, k, v, mask, options.scale(), options.slidingWindow(), options.softcap(), parameter("sinks"));
        return submodule("o_proj").call(ops.reshape(attended, batch, tokens, qWidth));
    }
}
