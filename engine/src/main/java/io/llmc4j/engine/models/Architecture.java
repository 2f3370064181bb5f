package io.llmc4j.engine.models;

import io.llmc4j.engine.io.TensorSource;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * How one Hugging Face {@code model_type} maps onto the shared decoder blocks: its class-name prefix
 * ("Llama" gives "LlamaDecoderLayer") and a declaration that sets, on a {@link DecoderBuilder}, what
 * differs from Llama (config fields read, tensor names, forward variations). Each declaration lives
 * in one small file per family:
 *
 * <table>
 *   <caption>Registered types</caption>
 *   <tr><th>model_type</th><th>file</th><th>what differs from Llama</th></tr>
 *   <tr><td>llama, mistral</td><td>{@link LlamaFamily}</td><td>mistral: no biases, sliding window</td></tr>
 *   <tr><td>qwen2, qwen3</td><td>{@link QwenFamily}</td><td>q/k/v bias; qwen3: per-head q/k norms; sliding layers</td></tr>
 *   <tr><td>gemma, gemma2, gemma3_text</td><td>{@link GemmaFamily}</td><td>1+w norms, √hidden embeddings, GELU-tanh;
 *       gemma2/3: sandwich norms, sliding layers, query_pre_attn_scalar; gemma2: soft-capping; gemma3: q/k norms, local RoPE</td></tr>
 *   <tr><td>phi3</td><td>{@link Phi3}</td><td>fused qkv_proj and gate_up_proj</td></tr>
 *   <tr><td>olmo2</td><td>{@link Olmo2}</td><td>post-norms, q/k norms over the whole projection</td></tr>
 *   <tr><td>granite</td><td>{@link Granite}</td><td>embedding, residual, attention multipliers; logit scaling</td></tr>
 *   <tr><td>smollm3</td><td>{@link SmolLM3}</td><td>NoPE layers</td></tr>
 *   <tr><td>mixtral, qwen2_moe, qwen3_moe</td><td>{@link MixtureOfExpertsFamily}</td><td>sparse MoE feed-forward blocks</td></tr>
 *   <tr><td>gpt_oss</td><td>{@link GptOss}</td><td>attention sinks, biases, YaRN, sliding layers; fused 3-D experts split
 *       into per-expert Linears, clamped SwiGLU</td></tr>
 * </table>
 */
public record Architecture(String modelType, String classPrefix, Consumer<DecoderBuilder> declaration) {

    private static final Map<String, Architecture> REGISTRY = registry();

    private static Map<String, Architecture> registry() {
        Map<String, Architecture> m = new LinkedHashMap<>();
        put(m, "llama", "Llama", LlamaFamily::llama);
        put(m, "mistral", "Mistral", LlamaFamily::mistral);
        put(m, "qwen2", "Qwen2", QwenFamily::qwen2);
        put(m, "qwen3", "Qwen3", QwenFamily::qwen3);
        put(m, "gemma", "Gemma", GemmaFamily::gemma);
        put(m, "gemma2", "Gemma2", GemmaFamily::gemma2);
        put(m, "gemma3_text", "Gemma3", GemmaFamily::gemma3);
        put(m, "phi3", "Phi3", Phi3::declare);
        put(m, "olmo2", "Olmo2", Olmo2::declare);
        put(m, "granite", "Granite", Granite::declare);
        put(m, "smollm3", "SmolLM3", SmolLM3::declare);
        put(m, "mixtral", "Mixtral", MixtureOfExpertsFamily::mixtral);
        put(m, "qwen2_moe", "Qwen2Moe", MixtureOfExpertsFamily::qwen2Moe);
        put(m, "qwen3_moe", "Qwen3Moe", MixtureOfExpertsFamily::qwen3Moe);
        put(m, "gpt_oss", "GptOss", GptOss::declare);
        return Map.copyOf(m);
    }

    private static void put(Map<String, Architecture> m, String type, String prefix, Consumer<DecoderBuilder> declaration) {
        m.put(type, new Architecture(type, prefix, declaration));
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

    /** The model {@code config} describes over the tensors of {@code source} (views, never copied). */
    CausalLM build(ModelConfig config, TensorSource source, Ops ops) {
        return builder(config, Weights.of(source, modelType), ops).build();
    }

    /**
     * Every parameter the checkpoint must hold, by Hugging Face name in module order, with its shape
     * ([out, in] for projections). {@code lm_head.weight} is absent when embeddings are tied.
     */
    public Map<String, long[]> parameterShapes(ModelConfig c) {
        Weights recording = Weights.recording(modelType);
        builder(c, recording, SHAPES_ONLY).build();
        return recording.requested();
    }

    private DecoderBuilder builder(ModelConfig config, Weights weights, Ops ops) {
        DecoderBuilder b = new DecoderBuilder(config, classPrefix, weights, ops);
        declaration.accept(b);
        return b;
    }

    /** Ops for shape-only builds: nothing runs, modules only need a non-null reference. */
    private static final Ops SHAPES_ONLY = new Ops(new ReferenceKernels());
}
