package io.llmc4j.engine.ops;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The compute backend: every numeric operation the models need, on real (non-symbolic) tensors.
 *
 * <p>Conventions: Hugging Face axis order; activations are {@code [batch, tokens, features]} or any
 * leading dims; Linear weights are {@code [out, in]}. Inputs may be any strided layout unless a
 * method says otherwise; results are new contiguous F32 heap tensors unless stated. Weights and
 * tables may be F32, F16 or BF16 (converted on the fly). Implementations must be deterministic:
 * the same inputs give the same bits whatever the thread count.
 *
 * <p>{@link ReferenceKernels} is the simple scalar reference; the Vector API implementation is the
 * fast path. Choose one at construction and pass it in.
 */
public interface Kernels {
    /** y = x·Wᵀ + b. x [..., in], weight [out, in], bias [out] or null; returns [..., out]. */
    Tensor linear(Tensor x, Tensor weight, Tensor bias);

    /** C = A·B for A [M, K], B [K, N]; returns [M, N]. */
    Tensor matmul(Tensor a, Tensor b);

    /** Rows of {@code table} [vocab, hidden] at integer {@code ids} [...]; returns [..., hidden]. */
    Tensor embedding(Tensor ids, Tensor table);

    /** x / sqrt(mean(x², last axis) + eps) · weight, weight [features]. */
    Tensor rmsNorm(Tensor x, Tensor weight, float eps);

    /** Elementwise a + b; same shapes, or b broadcast along leading dims (b's shape a suffix of a's). */
    Tensor add(Tensor a, Tensor b);

    /** Elementwise a · b; same broadcasting rule as {@link #add}. */
    Tensor mul(Tensor a, Tensor b);

    /** Elementwise a · factor. */
    Tensor scale(Tensor a, float factor);

    /** x · sigmoid(x). */
    Tensor silu(Tensor x);

    /** GELU, tanh approximation (Hugging Face "gelu_pytorch_tanh"). */
    Tensor gelu(Tensor x);

    /** Softmax along the last axis. */
    Tensor softmax(Tensor x);

    /**
     * Rotary position embedding in Hugging Face's rotate_half layout:
     * out = x·cos + rotate_half(x)·sin, where rotate_half([x1, x2]) = [−x2, x1].
     * x [batch, tokens, heads, headDim]; cos, sin [batch, tokens, headDim].
     */
    Tensor rope(Tensor x, Tensor cos, Tensor sin);

    /**
     * Causal scaled-dot-product attention with grouped KV heads.
     * q [batch, tokens, qHeads, headDim]; k, v [batch, tokens, kvHeads, headDim] with qHeads a
     * multiple of kvHeads; mask [batch, tokens] of 1 (keep) / 0 (padding key) or null.
     * Returns [batch, tokens, qHeads, headDim]. Full causal attention, no soft-capping.
     */
    default Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, float scale) {
        return attention(q, k, v, mask, scale, 0, 0f, null);
    }

    /**
     * {@link #attention(Tensor, Tensor, Tensor, Tensor, float)} where query i sees only keys j with
     * i − window &lt; j ≤ i when {@code window} &gt; 0 (sliding window, Mistral/Gemma), and each
     * scaled score s becomes softcap·tanh(s/softcap) when {@code softcap} &gt; 0 (Gemma 2). With
     * {@code sinks} [qHeads] (gpt-oss), head h's softmax has one more logit, sinks[h], whose
     * probability is dropped: the key weights then sum to less than 1.
     */
    Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, float scale, int window, float softcap, Tensor sinks);

    /**
     * gpt-oss's clamped SwiGLU of an expert: with g = min(gate, limit) and u = clamp(up, −limit, limit),
     * (u + 1) · g · sigmoid(alpha · g). gate and up of the same shape.
     */
    Tensor clampedSwiglu(Tensor gate, Tensor up, float alpha, float limit);

    /** Elementwise cap·tanh(x/cap) (Gemma 2's final logit soft-capping); cap &gt; 0. */
    Tensor softcap(Tensor x, float cap);

    /** Reduces {@code axis} away; returns an F32 tensor of the remaining shape. */
    Tensor reduce(Reduction reduction, Tensor x, int axis);

    /** A contiguous copy converted to {@code dtype} (RNE narrowing, FP8 saturating). */
    Tensor convert(Tensor x, DType dtype);
}
