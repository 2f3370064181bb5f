package io.llmc4j.compress.modifiers.smoothing;

import io.llmc4j.compress.quantization.QuantizationConfigException;
import java.util.List;
import java.util.Map;

/**
 * The default mappings per architecture, keyed by the decoder layer's Hugging Face class name (LLM
 * Compressor's registries, by the same layers). AWQ also smooths v_proj → o_proj (skipped by the
 * resolver where grouped-query heads make the shapes differ) and up_proj → down_proj; SmoothQuant
 * only smooths norms into the Linears that read them. Mixture-of-experts layers balance the router
 * and every expert's gate/up (and the shared expert's, and its gate) against the norm. Phi-3's
 * fused qkv_proj / gate_up_proj smooth their last part (v, up). Gemma 2/3 normalise the
 * feed-forward input with {@code pre_feedforward_layernorm}; OLMo 2 has no norm in front of its
 * Linears, so only Linear → Linear mappings remain. An architecture without an entry (or a
 * SmoothQuant on OLMo 2) fails naming the recipe key {@code mappings}.
 */
public final class ArchitectureMappings {
    private static final SmoothingMapping QKV = SmoothingMapping.of("re:.*input_layernorm$", "re:.*q_proj$", "re:.*k_proj$", "re:.*v_proj$");
    private static final SmoothingMapping V_O = SmoothingMapping.of("re:.*v_proj$", "re:.*o_proj$");
    private static final SmoothingMapping GATE_UP = SmoothingMapping.of("re:.*post_attention_layernorm$", "re:.*gate_proj$", "re:.*up_proj$");
    private static final SmoothingMapping UP_DOWN = SmoothingMapping.of("re:.*up_proj$", "re:.*down_proj$");
    private static final SmoothingMapping PRE_FF_GATE_UP = SmoothingMapping.of("re:.*pre_feedforward_layernorm$", "re:.*gate_proj$", "re:.*up_proj$");
    private static final SmoothingMapping QWEN_MOE_GATE_UP = SmoothingMapping.of("re:.*post_attention_layernorm$", "re:.*mlp\\.gate$",
            "re:.*mlp\\.experts\\.\\d+\\.gate_proj$", "re:.*mlp\\.experts\\.\\d+\\.up_proj$");
    private static final SmoothingMapping QWEN2_MOE_GATE_UP = SmoothingMapping.of("re:.*post_attention_layernorm$", "re:.*mlp\\.gate$",
            "re:.*mlp\\.experts\\.\\d+\\.gate_proj$", "re:.*mlp\\.experts\\.\\d+\\.up_proj$", "re:.*mlp\\.shared_expert\\.gate_proj$",
            "re:.*mlp\\.shared_expert\\.up_proj$", "re:.*mlp\\.shared_expert_gate$");
    private static final SmoothingMapping MIXTRAL_GATE_UP = SmoothingMapping.of("re:.*post_attention_layernorm$", "re:.*block_sparse_moe\\.gate$",
            "re:.*experts\\.\\d+\\.w1$", "re:.*experts\\.\\d+\\.w3$");
    private static final SmoothingMapping MIXTRAL_UP_DOWN = SmoothingMapping.of("re:.*w3$", "re:.*w2$");
    private static final SmoothingMapping PHI3_QKV = SmoothingMapping.of("re:.*input_layernorm$", "re:.*qkv_proj$");
    private static final SmoothingMapping PHI3_V_O = SmoothingMapping.of("re:.*qkv_proj$", "re:.*o_proj$");
    private static final SmoothingMapping PHI3_GATE_UP = SmoothingMapping.of("re:.*post_attention_layernorm$", "re:.*gate_up_proj$");
    private static final SmoothingMapping PHI3_UP_DOWN = SmoothingMapping.of("re:.*gate_up_proj$", "re:.*down_proj$");

    /** AWQ mappings and SmoothQuant mappings of one architecture. */
    private record Entry(List<SmoothingMapping> awq, List<SmoothingMapping> smoothQuant) {
    }

    private static final Entry LLAMA = new Entry(List.of(QKV, V_O, GATE_UP, UP_DOWN), List.of(QKV, GATE_UP));
    private static final Entry SANDWICH = new Entry(List.of(QKV, V_O, PRE_FF_GATE_UP, UP_DOWN), List.of(QKV, PRE_FF_GATE_UP));
    private static final Map<String, Entry> REGISTRY = Map.ofEntries(
            Map.entry("LlamaDecoderLayer", LLAMA),
            Map.entry("MistralDecoderLayer", LLAMA),
            Map.entry("Qwen2DecoderLayer", LLAMA),
            Map.entry("Qwen3DecoderLayer", LLAMA),
            Map.entry("GraniteDecoderLayer", LLAMA),
            Map.entry("SmolLM3DecoderLayer", LLAMA),
            Map.entry("GemmaDecoderLayer", LLAMA),
            Map.entry("Gemma2DecoderLayer", SANDWICH),
            Map.entry("Gemma3DecoderLayer", SANDWICH),
            Map.entry("Olmo2DecoderLayer", new Entry(List.of(V_O, UP_DOWN), List.of())),
            Map.entry("Phi3DecoderLayer", new Entry(List.of(PHI3_QKV, PHI3_V_O, PHI3_GATE_UP, PHI3_UP_DOWN), List.of(PHI3_QKV, PHI3_GATE_UP))),
            Map.entry("MixtralDecoderLayer", new Entry(List.of(QKV, V_O, MIXTRAL_GATE_UP, MIXTRAL_UP_DOWN), List.of(QKV, MIXTRAL_GATE_UP))),
            Map.entry("Qwen2MoeDecoderLayer", new Entry(List.of(QKV, V_O, QWEN2_MOE_GATE_UP, UP_DOWN), List.of(QKV, QWEN2_MOE_GATE_UP))),
            Map.entry("Qwen3MoeDecoderLayer", new Entry(List.of(QKV, V_O, QWEN_MOE_GATE_UP, UP_DOWN), List.of(QKV, QWEN_MOE_GATE_UP))));

    private ArchitectureMappings() {
    }

    /** AWQ's default mappings for decoder layers of class {@code layerType}. */
    public static List<SmoothingMapping> awq(String layerType) {
        return entry(layerType, "AWQModifier").awq();
    }

    /** SmoothQuant's default mappings for decoder layers of class {@code layerType}. */
    public static List<SmoothingMapping> smoothQuant(String layerType) {
        List<SmoothingMapping> mappings = entry(layerType, "SmoothQuantModifier").smoothQuant();
        if (mappings.isEmpty())
            throw new QuantizationConfigException("mappings", layerType + " has no norm in front of its Linears, so SmoothQuantModifier has no "
                    + "default mappings for it; give mappings: [[[BALANCE_PATTERN, ...], SMOOTH_PATTERN], ...]");
        return mappings;
    }

    /** Whether {@code layerType} has an entry. */
    public static boolean known(String layerType) {
        return REGISTRY.containsKey(layerType);
    }

    private static Entry entry(String layerType, String modifier) {
        Entry entry = REGISTRY.get(layerType);
        if (entry == null)
            throw new QuantizationConfigException("mappings", modifier + " has no default mappings for decoder layers of type " + layerType
                    + " (known: " + new java.util.TreeSet<>(REGISTRY.keySet()) + "); give them in the recipe's mappings");
        return entry;
    }
}
