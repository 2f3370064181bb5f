package io.llmc4j.engine.models;

import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.nn.Attention;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.DecoderLayer;
import io.llmc4j.engine.nn.DecoderModel;
import io.llmc4j.engine.nn.Embedding;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.MLP;
import io.llmc4j.engine.nn.ModuleList;
import io.llmc4j.engine.nn.RMSNorm;
import io.llmc4j.engine.nn.RotaryEmbedding;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the module tree of a Llama-family model from its config and its tensors.
 *
 * <pre>
 *   LlamaForCausalLM
 *   ├── model: LlamaModel
 *   │   ├── embed_tokens: Embedding
 *   │   ├── layers: ModuleList of LlamaDecoderLayer
 *   │   │   ├── self_attn: LlamaAttention (q_proj, k_proj, v_proj, o_proj: Linear; q_norm, k_norm for qwen3)
 *   │   │   ├── mlp: LlamaMLP (gate_proj, up_proj, down_proj: Linear)
 *   │   │   ├── input_layernorm, post_attention_layernorm: LlamaRMSNorm
 *   │   ├── norm: LlamaRMSNorm
 *   │   └── rotary_emb: LlamaRotaryEmbedding
 *   └── lm_head: Linear (the embed_tokens tensor itself when tie_word_embeddings)
 * </pre>
 *
 * Class names use the architecture's prefix (Mistral, Qwen2, Qwen3). Parameters are the source's
 * tensors as they are (views; F32, BF16 or F16; never copied or converted), so their memory must
 * outlive the model: keep the source open while the model is used. Tensors the model does not use
 * (e.g. a stale {@code rotary_emb.inv_freq}, or {@code lm_head.weight} of a tied checkpoint) are
 * ignored, as transformers does.
 */
public final class Models {
    private Models() {
    }

    /**
     * The model described by {@code config} with the weights in {@code source}, computing through
     * {@code ops}.
     *
     * @throws ModelConfigException     when {@code model_type} is not supported
     * @throws IllegalArgumentException naming the tensor and the source when a tensor is missing,
     *                                  has the wrong shape, or is not a floating-point dtype
     */
    public static CausalLM build(ModelConfig config, TensorSource source, Ops ops) {
        Architecture arch = Architecture.of(config.modelType());
        Map<String, Tensor> p = fetch(arch, config, source);
        float eps = (float) config.rmsNormEps();
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String prefix = "model.layers." + i + ".";
            RMSNorm qNorm = null, kNorm = null;
            if (arch.qkNorm()) {
                qNorm = new RMSNorm(ops, arch.className("RMSNorm"), p.get(prefix + "self_attn.q_norm.weight"), eps);
                kNorm = new RMSNorm(ops, arch.className("RMSNorm"), p.get(prefix + "self_attn.k_norm.weight"), eps);
            }
            Attention attention = new Attention(ops, arch.className("Attention"),
                    config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim(),
                    linear(ops, p, prefix + "self_attn.q_proj"), linear(ops, p, prefix + "self_attn.k_proj"),
                    linear(ops, p, prefix + "self_attn.v_proj"), linear(ops, p, prefix + "self_attn.o_proj"),
                    qNorm, kNorm, config.slidingWindow());
            MLP mlp = new MLP(ops, arch.className("MLP"),
                    linear(ops, p, prefix + "mlp.gate_proj"), linear(ops, p, prefix + "mlp.up_proj"),
                    linear(ops, p, prefix + "mlp.down_proj"), config.hiddenAct());
            layers.add(new DecoderLayer(ops, arch.className("DecoderLayer"), attention, mlp,
                    new RMSNorm(ops, arch.className("RMSNorm"), p.get(prefix + "input_layernorm.weight"), eps),
                    new RMSNorm(ops, arch.className("RMSNorm"), p.get(prefix + "post_attention_layernorm.weight"), eps)));
        }
        Tensor embedding = p.get("model.embed_tokens.weight");
        DecoderModel model = new DecoderModel(arch.className("Model"),
                new Embedding(ops, embedding),
                new ModuleList(layers),
                new RMSNorm(ops, arch.className("RMSNorm"), p.get("model.norm.weight"), eps),
                new RotaryEmbedding(arch.className("RotaryEmbedding"), config.headDim(), config.ropeTheta(), config.ropeScaling()));
        Tensor head = config.tieWordEmbeddings() ? embedding : p.get("lm_head.weight");
        return new CausalLM(arch.className("ForCausalLM"), model, new Linear(ops, head, null));
    }

    private static Linear linear(Ops ops, Map<String, Tensor> p, String name) {
        return new Linear(ops, p.get(name + ".weight"), p.get(name + ".bias"));
    }

    /** Every expected tensor, checked for presence, dtype and shape. */
    private static Map<String, Tensor> fetch(Architecture arch, ModelConfig config, TensorSource source) {
        Map<String, Tensor> out = new HashMap<>();
        for (var e : arch.parameterShapes(config).entrySet()) {
            String name = e.getKey();
            long[] expected = e.getValue();
            if (!source.contains(name))
                throw new IllegalArgumentException("tensor '" + name + "' is missing from " + source.description()
                        + " (model_type " + config.modelType() + " expects it with shape " + Arrays.toString(expected) + ")");
            Tensor t = source.get(name);
            if (t.dtype() != DType.F32 && t.dtype() != DType.BF16 && t.dtype() != DType.F16)
                throw new IllegalArgumentException("tensor '" + name + "' in " + source.description() + " has dtype " + t.dtype()
                        + "; expected F32, BF16 or F16");
            if (!Arrays.equals(t.shape().toArray(), expected))
                throw new IllegalArgumentException("tensor '" + name + "' in " + source.description() + " has shape "
                        + Arrays.toString(t.shape().toArray()) + "; the config expects " + Arrays.toString(expected));
            out.put(name, t);
        }
        return out;
    }
}
