package io.llmc4j.engine.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.nn.AttentionOptions.QkNorm;
import io.llmc4j.engine.nn.NormPlacement;
import io.llmc4j.engine.nn.RotaryEmbedding;
import io.llmc4j.engine.nn.RopeScaling;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import java.util.List;

/**
 * Gemma, Gemma 2 and Gemma 3 text ({@code modeling_gemma}, {@code modeling_gemma2},
 * {@code modeling_gemma3}).
 *
 * <ul>
 *   <li>all: RMSNorms scale by (1 + weight); embeddings times √hidden_size, rounded to the model's
 *       dtype as transformers' {@code normalizer} is; GELU-tanh ({@code hidden_activation});</li>
 *   <li>Gemma 2 and 3: sandwich norms (pre/post attention and feed-forward), attention scaled by
 *       {@code query_pre_attn_scalar}^−½, sliding-window layers by {@code layer_types} (default:
 *       Gemma 2 every other layer from the first, Gemma 3 all but every {@code sliding_window_pattern}-th);</li>
 *   <li>Gemma 2: attention and final logit soft-capping;</li>
 *   <li>Gemma 3: per-head q/k norms; sliding layers use a local RoPE table
 *       ({@code rope_parameters.sliding_attention}, or {@code rope_local_base_freq}), full layers the global one.</li>
 * </ul>
 */
final class GemmaFamily {
    private GemmaFamily() {
    }

    static void gemma(DecoderBuilder b) {
        b.normOffset = true;
        b.qkvBias = b.config.attentionBias();
        b.outputBias = b.config.attentionBias();
        b.embeddingScale = embeddingNormalizer(b.config);
    }

    static void gemma2(DecoderBuilder b) {
        gemma(b);
        sandwich(b);
        b.attentionSoftcap = (float) b.number("attn_logit_softcapping", 0);
        b.finalSoftcap = (float) b.number("final_logit_softcapping", 0);
        b.defaultLayerType = layer -> (layer + 1) % 2 != 0 ? DecoderBuilder.SLIDING : DecoderBuilder.FULL;
    }

    static void gemma3(DecoderBuilder b) {
        gemma(b);
        sandwich(b);
        b.qkNorm = QkNorm.HEAD;
        b.attentionSoftcap = (float) b.number("attn_logit_softcapping", 0);
        b.finalSoftcap = (float) b.number("final_logit_softcapping", 0);
        int pattern = b.intField("sliding_window_pattern", b.intField("_sliding_window_pattern", 6));
        b.defaultLayerType = layer -> pattern > 0 && (layer + 1) % pattern != 0 ? DecoderBuilder.SLIDING : DecoderBuilder.FULL;
        JsonNode parameters = b.fields.node("rope_parameters");
        RotaryEmbedding global, local;
        if (parameters != null && parameters.has(DecoderBuilder.FULL)) {
            global = table(b, "rope_parameters." + DecoderBuilder.FULL, parameters.get(DecoderBuilder.FULL));
            local = table(b, "rope_parameters." + DecoderBuilder.SLIDING, parameters.get(DecoderBuilder.SLIDING));
        } else {
            global = b.rotaryTable(b.config.ropeTheta(), b.config.ropeScaling());
            local = b.rotaryTable(b.number("rope_local_base_freq", 10000), new RopeScaling.None());
        }
        b.ropeTables = new java.util.ArrayList<>(List.of(global, local));
        b.ropeTableOf = layer -> b.layerType(layer).equals(DecoderBuilder.SLIDING) ? 1 : 0;
    }

    private static void sandwich(DecoderBuilder b) {
        b.placement = NormPlacement.SANDWICH;
        b.attentionScale = (float) Math.pow(b.number("query_pre_attn_scalar", b.config.headDim()), -0.5);
    }

    /** One layer type's rotary table from its {@code rope_parameters} entry (rope_theta, rope_type, ...). */
    private static RotaryEmbedding table(DecoderBuilder b, String key, JsonNode node) {
        if (node == null || !node.isObject()) throw b.fields.error(key, "must be an object with rope_theta, found " + node);
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.set("rope_parameters", node);
        ConfigFields f = new ConfigFields(wrapper, b.fields.origin());
        double theta = node.hasNonNull("rope_theta") ? f.positiveDouble(key + ".rope_theta", node.get("rope_theta")) : 10000;
        return b.rotaryTable(theta, RopeScalingParser.parse(f, node));
    }

    /** √hidden_size as transformers' Gemma computes it: a tensor of the model's dtype. */
    static float embeddingNormalizer(ModelConfig config) {
        float normalizer = (float) Math.sqrt(config.hiddenSize());
        DType dtype = config.parameterDType().orElse(DType.F32);
        return switch (dtype) {
            case BF16 -> FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(normalizer));
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(normalizer));
            default -> normalizer;
        };
    }
}
