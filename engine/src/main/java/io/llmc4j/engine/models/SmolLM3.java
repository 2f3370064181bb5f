package io.llmc4j.engine.models;

/**
 * SmolLM3 ({@code modeling_smollm3}): Llama whose layers skip RoPE where {@code no_rope_layers} is 0
 * (default: every {@code no_rope_layer_interval}-th layer, interval 4).
 */
final class SmolLM3 {
    private SmolLM3() {
    }

    static void declare(DecoderBuilder b) {
        LlamaFamily.llama(b);
        int[] useRope = b.intList("no_rope_layers", true);
        int interval = b.intField("no_rope_layer_interval", 4);
        b.rotary = layer -> useRope != null ? useRope[layer] != 0 : interval == 0 || (layer + 1) % interval != 0;
    }
}
