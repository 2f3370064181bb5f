package io.llmc4j.engine.models;

import io.llmc4j.engine.nn.AttentionOptions.QkNorm;
import io.llmc4j.engine.nn.NormPlacement;

/**
 * OLMo 2 ({@code modeling_olmo2}): norms after attention and after the MLP, none before
 * ({@code post_attention_layernorm}, {@code post_feedforward_layernorm}); q/k RMSNorms over the whole
 * projection (heads·head_dim), before RoPE; {@code attention_bias} on q/k/v/o.
 */
final class Olmo2 {
    private Olmo2() {
    }

    static void declare(DecoderBuilder b) {
        b.placement = NormPlacement.POST;
        b.qkNorm = QkNorm.PROJECTION;
        b.qkvBias = b.config.attentionBias();
        b.outputBias = b.config.attentionBias();
    }
}
