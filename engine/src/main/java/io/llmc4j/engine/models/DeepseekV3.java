package io.llmc4j.engine.models;

import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.MLP;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.nn.MultiLatentAttention;
import io.llmc4j.engine.nn.RMSNorm;
import io.llmc4j.engine.nn.RopeScaling;
import io.llmc4j.engine.nn.SparseMoeBlock;
import io.llmc4j.engine.nn.TopKRouter;
import io.llmc4j.engine.ops.moe.ExpertRouting.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DeepSeek-V3 ({@code modeling_deepseek_v3}):
 * <ul>
 *   <li>multi-head latent attention ({@link MultiLatentAttention}) with q/kv LoRA ranks
 *       ({@code q_lora_rank}, {@code kv_lora_rank}), nope/rope/v head dims, RoPE over
 *       {@code qk_rope_head_dim} (interleaved pairs when {@code rope_interleave}), scale
 *       qk_head_dim^−½ (times YaRN's mscale² when {@code mscale_all_dim} is set);</li>
 *   <li>the first {@code first_k_dense_replace} layers dense ({@code intermediate_size}); the others a
 *       mixture of {@code n_routed_experts} experts of {@code moe_intermediate_size}: sigmoid scores plus
 *       {@code gate.e_score_correction_bias} choose the best {@code topk_group} of {@code n_group} groups
 *       (by their top-2 sum) and the top {@code num_experts_per_tok} experts in them; weights are the sigmoid
 *       scores (renormalised by {@code norm_topk_prob}) times {@code routed_scaling_factor}; plus
 *       {@code shared_experts} ({@code n_shared_experts} × moe_intermediate_size) on every token.</li>
 * </ul>
 */
final class DeepseekV3 {
    private DeepseekV3() {
    }

    static void declare(DecoderBuilder b) {
        int heads = b.config.numAttentionHeads();
        int nope = b.intField("qk_nope_head_dim", 128), rope = b.intField("qk_rope_head_dim", 64), value = b.intField("v_head_dim", 128);
        int kvRank = b.intField("kv_lora_rank", 512);
        Integer qRank = b.fields.has("q_lora_rank") ? b.intField("q_lora_rank", 0) : null;
        boolean interleave = b.bool("rope_interleave", true);
        boolean bias = b.config.attentionBias();
        double scale = Math.pow(nope + rope, -0.5);
        if (b.config.ropeScaling() instanceof RopeScaling.Yarn yarn && yarn.mscaleAllDim() != 0) {
            double m = RopeScaling.Yarn.yarnMscale(yarn.factor(), yarn.mscaleAllDim());
            scale *= m * m;
        }
        float attentionScale = (float) scale;
        b.ropeTables.add(new io.llmc4j.engine.nn.RotaryEmbedding(b.className("RotaryEmbedding"), rope, b.config.ropeTheta(), b.config.ropeScaling()));
        b.attention = (builder, layer, prefix) -> {
            long hidden = builder.config.hiddenSize();
            Map<String, Module> children = new LinkedHashMap<>();
            if (qRank == null) {
                children.put("q_proj", builder.linear(prefix + "q_proj", (long) heads * (nope + rope), hidden, false));
            } else {
                children.put("q_a_proj", builder.linear(prefix + "q_a_proj", qRank, hidden, bias));
                children.put("q_a_layernorm", latentNorm(builder, prefix + "q_a_layernorm", qRank));
                children.put("q_b_proj", builder.linear(prefix + "q_b_proj", (long) heads * (nope + rope), qRank, false));
            }
            children.put("kv_a_proj_with_mqa", builder.linear(prefix + "kv_a_proj_with_mqa", kvRank + rope, hidden, bias));
            children.put("kv_a_layernorm", latentNorm(builder, prefix + "kv_a_layernorm", kvRank));
            children.put("kv_b_proj", builder.linear(prefix + "kv_b_proj", (long) heads * (nope + value), kvRank, false));
            children.put("o_proj", builder.linear(prefix + "o_proj", hidden, (long) heads * value, bias));
            return new MultiLatentAttention(builder.ops(), builder.className("Attention"), heads, nope, rope, value, kvRank, interleave,
                    attentionScale, children);
        };
        int firstSparse = b.intField("first_k_dense_replace", 0), frequency = b.intField("moe_layer_freq", 1);
        int experts = b.intField("n_routed_experts", 256), shared = b.intField("n_shared_experts", 1);
        long moeIntermediate = b.intField("moe_intermediate_size", b.config.intermediateSize());
        Rule rule = new Rule.GroupedSigmoidTopK(b.intField("num_experts_per_tok", 8), b.intField("n_group", 1), b.intField("topk_group", 1),
                b.bool("norm_topk_prob", true), (float) b.number("routed_scaling_factor", 1));
        b.feedForward = (builder, layer, prefix) -> {
            if (layer < firstSparse || frequency == 0 || layer % frequency != 0) return builder.denseMlp(prefix, builder.config.intermediateSize());
            long hidden = builder.config.hiddenSize();
            TopKRouter router = new TopKRouter(builder.ops(), builder.className("TopkRouter"), builder.tensor(prefix + "gate.weight", experts, hidden),
                    null, builder.tensor(prefix + "gate.e_score_correction_bias", experts));
            List<MLP> list = new ArrayList<>();
            for (int e = 0; e < experts; e++) list.add(builder.denseMlp(prefix + "experts." + e + ".", moeIntermediate));
            MLP sharedExperts = shared > 0 ? builder.denseMlp(prefix + "shared_experts.", moeIntermediate * shared) : null;
            return new SparseMoeBlock(builder.ops(), builder.className("MoE"), "gate", router, list, rule, "shared_experts", sharedExperts, (Linear) null);
        };
    }

    /** The latent norms take RMSNorm's default eps 1e-6, not rms_norm_eps (transformers builds them without it). */
    private static RMSNorm latentNorm(DecoderBuilder b, String name, long features) {
        return new RMSNorm(b.ops(), b.className("RMSNorm"), b.tensor(name + ".weight", features), LATENT_NORM_EPS);
    }

    private static final float LATENT_NORM_EPS = 1e-6f;
}
