package io.llmc4j.engine.models;

/**
 * Granite ({@code modeling_granite}): Llama with four multipliers — embeddings times
 * {@code embedding_multiplier}, each residual update times {@code residual_multiplier}, attention
 * scores times {@code attention_multiplier} (instead of 1/√head_dim), logits divided by
 * {@code logits_scaling}.
 */
final class Granite {
    private Granite() {
    }

    static void declare(DecoderBuilder b) {
        LlamaFamily.llama(b);
        b.embeddingScale = (float) b.number("embedding_multiplier", 1);
        b.residualMultiplier = (float) b.number("residual_multiplier", 1);
        b.attentionScale = (float) b.number("attention_multiplier", 1);
        b.logitScale = (float) (1 / b.number("logits_scaling", 1));
    }
}
