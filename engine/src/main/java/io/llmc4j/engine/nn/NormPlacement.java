package io.llmc4j.engine.nn;

import java.util.List;

/**
 * Where a {@link DecoderLayer} normalises, by the Hugging Face names of its norms.
 *
 * <pre>
 *   PRE       h = x + attn(input_layernorm(x));            out = h + mlp(post_attention_layernorm(h))          Llama
 *   SANDWICH  h = x + post_attention_layernorm(attn(input_layernorm(x)));
 *             out = h + post_feedforward_layernorm(mlp(pre_feedforward_layernorm(h)))                          Gemma 2/3
 *   POST      h = x + post_attention_layernorm(attn(x));   out = h + post_feedforward_layernorm(mlp(h))        OLMo 2
 * </pre>
 */
public enum NormPlacement {
    PRE(List.of("input_layernorm", "post_attention_layernorm")),
    SANDWICH(List.of("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm")),
    POST(List.of("post_attention_layernorm", "post_feedforward_layernorm"));

    private final List<String> norms;

    NormPlacement(List<String> norms) {
        this.norms = norms;
    }

    /** The norms' names, in Hugging Face module order. */
    public List<String> normNames() {
        return norms;
    }
}
