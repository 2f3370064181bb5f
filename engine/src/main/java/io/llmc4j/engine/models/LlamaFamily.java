package io.llmc4j.engine.models;

/**
 * Llama and Mistral (transformers' {@code modeling_llama}, {@code modeling_mistral}): the shared
 * blocks as they are. Llama reads {@code attention_bias} (q/k/v/o) and {@code mlp_bias}; Mistral
 * has no biases and a sliding window on every layer when {@code sliding_window} is set (4096 when
 * the key is absent, as {@code MistralConfig}).
 */
final class LlamaFamily {
    private LlamaFamily() {
    }

    static void llama(DecoderBuilder b) {
        b.qkvBias = b.config.attentionBias();
        b.outputBias = b.config.attentionBias();
        b.mlpBias = b.config.mlpBias();
    }

    static void mistral(DecoderBuilder b) {
        // Every layer slides when a window is configured: the builder's default layer type.
    }
}
