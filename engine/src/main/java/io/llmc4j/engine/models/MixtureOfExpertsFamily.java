package io.llmc4j.engine.models;

import io.llmc4j.engine.nn.AttentionOptions.QkNorm;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.MLP;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.nn.SparseMoeBlock;
import io.llmc4j.engine.nn.TopKRouter;
import java.util.ArrayList;
import java.util.List;

/**
 * Sparse mixture-of-experts models whose experts are stored one Linear per projection
 * ({@code modeling_mixtral}, {@code modeling_qwen2_moe}, {@code modeling_qwen3_moe}); each feed-forward
 * block is a {@link SparseMoeBlock} with a router at {@code gate} and experts at {@code experts.<e>}:
 *
 * <ul>
 *   <li>Mixtral: {@code block_sparse_moe}, experts {@code w1} (gate), {@code w3} (up), {@code w2} (down) of
 *       {@code intermediate_size}, {@code num_local_experts}, top-k weights always renormalised;</li>
 *   <li>Qwen2-MoE: {@code mlp}, experts gate/up/down_proj of {@code moe_intermediate_size}, plus a
 *       {@code shared_expert} of {@code shared_expert_intermediate_size} scaled by
 *       sigmoid({@code shared_expert_gate}); q/k/v biases ({@code qkv_bias});</li>
 *   <li>Qwen3-MoE: as Qwen2-MoE without shared expert, with per-head q/k norms.</li>
 * </ul>
 *
 * Qwen layers listed in {@code mlp_only_layers}, or off the {@code decoder_sparse_step}, get a dense
 * MLP of {@code intermediate_size}. Renormalisation follows {@code norm_topk_prob}.
 */
final class MixtureOfExpertsFamily {
    private MixtureOfExpertsFamily() {
    }

    static void mixtral(DecoderBuilder b) {
        int experts = b.intField("num_local_experts", 8);
        b.feedForwardName = "block_sparse_moe";
        b.feedForward = (builder, layer, prefix) -> sparse(builder, prefix, experts, b.config.intermediateSize(),
                "MixtralBlockSparseTop2MLP", new String[] {"w1", "w3", "w2"}, true, 0);
    }

    static void qwen2Moe(DecoderBuilder b) {
        b.qkvBias = b.bool("qkv_bias", true);
        QwenFamily.slidingLayers(b);
        qwenExperts(b, b.intField("shared_expert_intermediate_size", 0));
    }

    static void qwen3Moe(DecoderBuilder b) {
        b.qkvBias = b.config.attentionBias();
        b.outputBias = b.config.attentionBias();
        b.qkNorm = QkNorm.HEAD;
        QwenFamily.slidingLayers(b);
        qwenExperts(b, 0);
    }

    private static void qwenExperts(DecoderBuilder b, int sharedIntermediate) {
        int experts = b.intField("num_experts", b.intField("num_local_experts", 0));
        int step = b.intField("decoder_sparse_step", 1);
        int[] denseLayers = b.intList("mlp_only_layers", false);
        long intermediate = b.intField("moe_intermediate_size", b.config.intermediateSize());
        b.feedForward = (builder, layer, prefix) -> {
            boolean dense = experts == 0 || step == 0 || (layer + 1) % step != 0
                    || (denseLayers != null && java.util.Arrays.stream(denseLayers).anyMatch(l -> l == layer));
            if (dense) return builder.denseMlp(prefix, builder.config.intermediateSize());
            return sparse(builder, prefix, experts, intermediate, builder.className("MLP"), new String[] {"gate_proj", "up_proj", "down_proj"},
                    builder.bool("norm_topk_prob", false), sharedIntermediate);
        };
    }

    /** A sparse block of {@code experts} experts with the given projection names (gate, up, down). */
    private static Module sparse(DecoderBuilder b, String prefix, int experts, long intermediate, String expertType, String[] names,
                                 boolean normalize, long sharedIntermediate) {
        long hidden = b.config.hiddenSize();
        int topK = b.intField("num_experts_per_tok", 2);
        TopKRouter router = new TopKRouter(b.ops(), b.className("TopKRouter"), b.tensor(prefix + "gate.weight", experts, hidden));
        List<MLP> list = new ArrayList<>();
        for (int e = 0; e < experts; e++)
            list.add(b.gatedMlp(prefix + "experts." + e + ".", expertType, intermediate, names[0], names[1], names[2]));
        MLP shared = null;
        Linear sharedGate = null;
        if (sharedIntermediate > 0) {
            shared = b.gatedMlp(prefix + "shared_expert.", b.className("MLP"), sharedIntermediate, "gate_proj", "up_proj", "down_proj");
            sharedGate = b.linear(prefix + "shared_expert_gate", 1, hidden, false);
        }
        return new SparseMoeBlock(b.ops(), b.className("SparseMoeBlock"), router, list, topK, normalize, shared, sharedGate);
    }
}
