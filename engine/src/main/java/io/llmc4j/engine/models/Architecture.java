package io.llmc4j.engine.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * How one Hugging Face {@code model_type} maps onto the shared Llama-family modules: the class-name
 * prefix ("Llama" gives "LlamaDecoderLayer"), which projections carry biases, and whether attention
 * normalises q and k per head.
 *
 * <table>
 *   <caption>Registered types (as in transformers' modeling files)</caption>
 *   <tr><th>model_type</th><th>q/k/v bias</th><th>o_proj bias</th><th>MLP bias</th><th>q/k norm</th></tr>
 *   <tr><td>llama</td><td>attention_bias</td><td>attention_bias</td><td>mlp_bias</td><td>no</td></tr>
 *   <tr><td>mistral</td><td>no</td><td>no</td><td>no</td><td>no</td></tr>
 *   <tr><td>qwen2</td><td>yes</td><td>no</td><td>no</td><td>no</td></tr>
 *   <tr><td>qwen3</td><td>attention_bias</td><td>attention_bias</td><td>no</td><td>yes</td></tr>
 * </table>
 */
public record Architecture(String modelType, String classPrefix, Predicate<ModelConfig> qkvBias,
                           Predicate<ModelConfig> outputBias, Predicate<ModelConfig> mlpBias, boolean qkNorm) {

    private static final Map<String, Architecture> REGISTRY = registry();

    private static Map<String, Architecture> registry() {
        Map<String, Architecture> m = new LinkedHashMap<>();
        m.put("llama", new Architecture("llama", "Llama", ModelConfig::attentionBias, ModelConfig::attentionBias, ModelConfig::mlpBias, false));
        m.put("mistral", new Architecture("mistral", "Mistral", c -> false, c -> false, c -> false, false));
        m.put("qwen2", new Architecture("qwen2", "Qwen2", c -> true, c -> false, c -> false, false));
        m.put("qwen3", new Architecture("qwen3", "Qwen3", ModelConfig::attentionBias, ModelConfig::attentionBias, c -> false, true));
        return Map.copyOf(m);
    }

    /** The supported {@code model_type} values. */
    public static SortedSet<String> supportedTypes() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(REGISTRY.keySet()));
    }

    /**
     * The architecture for {@code modelType}.
     *
     * @throws ModelConfigException naming the type and listing the supported ones
     */
    public static Architecture of(String modelType) {
        Architecture a = REGISTRY.get(modelType);
        if (a == null)
            throw new ModelConfigException(ModelConfig.FILE_NAME, "model_type",
                    "\"" + modelType + "\" is not supported; supported model types: " + String.join(", ", supportedTypes()));
        return a;
    }

    /** The Hugging Face class name for {@code suffix}, e.g. "DecoderLayer" → "Qwen2DecoderLayer". */
    public String className(String suffix) {
        return classPrefix + suffix;
    }

    /**
     * Every parameter the checkpoint must hold, by Hugging Face name in module order, with its shape
     * ([out, in] for projections). {@code lm_head.weight} is absent when embeddings are tied.
     */
    public Map<String, long[]> parameterShapes(ModelConfig c) {
        long hidden = c.hiddenSize(), inter = c.intermediateSize(), headDim = c.headDim();
        long qOut = Math.multiplyExact((long) c.numAttentionHeads(), headDim);
        long kvOut = Math.multiplyExact((long) c.numKeyValueHeads(), headDim);
        boolean qkv = qkvBias.test(c), out = outputBias.test(c), mlp = mlpBias.test(c);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {c.vocabSize(), hidden});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String layer = "model.layers." + i + ".";
            linear(shapes, layer + "self_attn.q_proj", qOut, hidden, qkv);
            linear(shapes, layer + "self_attn.k_proj", kvOut, hidden, qkv);
            linear(shapes, layer + "self_attn.v_proj", kvOut, hidden, qkv);
            linear(shapes, layer + "self_attn.o_proj", hidden, qOut, out);
            if (qkNorm) {
                shapes.put(layer + "self_attn.q_norm.weight", new long[] {headDim});
                shapes.put(layer + "self_attn.k_norm.weight", new long[] {headDim});
            }
            linear(shapes, layer + "mlp.gate_proj", inter, hidden, mlp);
            linear(shapes, layer + "mlp.up_proj", inter, hidden, mlp);
            linear(shapes, layer + "mlp.down_proj", hidden, inter, mlp);
            shapes.put(layer + "input_layernorm.weight", new long[] {hidden});
            shapes.put(layer + "post_attention_layernorm.weight", new long[] {hidden});
        }
        shapes.put("model.norm.weight", new long[] {hidden});
        if (!c.tieWordEmbeddings()) shapes.put("lm_head.weight", new long[] {c.vocabSize(), hidden});
        return shapes;
    }

    private static void linear(Map<String, long[]> shapes, String name, long out, long in, boolean bias) {
        shapes.put(name + ".weight", new long[] {out, in});
        if (bias) shapes.put(name + ".bias", new long[] {out});
    }
}
