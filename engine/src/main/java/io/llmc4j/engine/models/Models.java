package io.llmc4j.engine.models;

import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.Ops;

/**
 * Builds the module tree of a decoder-only model from its config and its tensors.
 *
 * <pre>
 *   LlamaForCausalLM
 *   ├── model: LlamaModel
 *   │   ├── embed_tokens: Embedding
 *   │   ├── layers: ModuleList of LlamaDecoderLayer
 *   │   │   ├── self_attn: LlamaAttention (q_proj, k_proj, v_proj, o_proj: Linear; q_norm, k_norm for qwen3)
 *   │   │   ├── mlp: LlamaMLP (gate_proj, up_proj, down_proj: Linear) or a SparseMoeBlock (gate, experts.e.*)
 *   │   │   ├── input_layernorm, post_attention_layernorm: LlamaRMSNorm (more for Gemma 2/3, OLMo 2)
 *   │   ├── norm: LlamaRMSNorm
 *   │   └── rotary_emb: LlamaRotaryEmbedding (and rotary_emb_local for Gemma 3)
 *   └── lm_head: Linear (the embed_tokens tensor itself when tie_word_embeddings)
 * </pre>
 *
 * Class names use the architecture's prefix (Mistral, Qwen2, Gemma2, ...; see {@link Architecture}
 * for what each type changes). Parameters are the source's tensors as they are (views; F32, BF16
 * or F16; never copied or converted), so their memory must outlive the model: keep the source open
 * while the model is used. Tensors the model does not use (e.g. a stale {@code rotary_emb.inv_freq},
 * or {@code lm_head.weight} of a tied checkpoint) are ignored, as transformers does.
 */
public final class Models {
    private Models() {
    }

    /**
     * The model described by {@code config} with the weights in {@code source}, computing through
     * {@code ops}.
     *
     * @throws ModelConfigException     when {@code model_type} is not supported or an architecture field is invalid
     * @throws IllegalArgumentException naming the tensor and the source when a tensor is missing,
     *                                  has the wrong shape, or is not a floating-point dtype
     */
    public static CausalLM build(ModelConfig config, TensorSource source, Ops ops) {
        return Architecture.of(config.modelType()).build(config, source, ops);
    }
}
