package io.llmc4j.engine.models;

import io.llmc4j.engine.nn.AttentionOptions.QkNorm;

/**
 * Qwen2 and Qwen3 ({@code modeling_qwen2}, {@code modeling_qwen3}). Qwen2: biases on q/k/v (not
 * o). Qwen3: {@code attention_bias} on q/k/v/o and per-head q/k RMSNorms before RoPE. Both slide on
 * layers {@code >= max_window_layers} when {@code use_sliding_window} (or as {@code layer_types} says).
 */
final class QwenFamily {
    private QwenFamily() {
    }

    static void qwen2(DecoderBuilder b) {
        b.qkvBias = true;
        slidingLayers(b);
    }

    static void qwen3(DecoderBuilder b) {
        b.qkvBias = b.config.attentionBias();
        b.outputBias = b.config.attentionBias();
        b.qkNorm = QkNorm.HEAD;
        slidingLayers(b);
    }

    /** Qwen's default layer types: sliding from layer max_window_layers (default 28) on, when a window is in use. */
    static void slidingLayers(DecoderBuilder b) {
        int first = b.intField("max_window_layers", 28);
        b.defaultLayerType = layer -> b.config.slidingWindow() != null && layer >= first ? DecoderBuilder.SLIDING : DecoderBuilder.FULL;
    }
}
