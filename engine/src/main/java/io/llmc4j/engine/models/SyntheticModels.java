package io.llmc4j.engine.models;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Deterministic random Llama-family weights for tests and benchmarks, with Hugging Face names and
 * shapes ({@link Architecture#parameterShapes}).
 *
 * <p>Initialisation, chosen so activations stay near unit scale at any size: projections
 * N(0, 1/in) (GPT-2 style, o_proj and down_proj further divided by 2·layers in variance, so the
 * residual stream grows slowly); embeddings and an untied lm_head N(0, 1/hidden), which makes
 * logits of roughly unit spread; norm weights 1 + N(0, 0.05²); biases N(0, 0.05²).
 *
 * <p>Each tensor draws from its own {@link SplittableRandom} seeded by (seed, tensor name), so a
 * tensor's values depend only on the seed, its name and its shape, not on the other tensors. BF16
 * values are the F32 draws rounded to nearest even. Single-threaded: a 1B-parameter model takes
 * tens of seconds.
 */
public final class SyntheticModels {
    /** Tiny Llama: hidden 64, 2 layers, 4 heads over 2 KV heads (GQA), vocab 256, untied. */
    public static final String TINY = "tiny";
    /** {@link #TINY} with tied embeddings and llama3 rope scaling whose three frequency bands are all populated. */
    public static final String TINY_LLAMA3 = "tiny-llama3";
    /** Tiny Mistral (no biases, sliding_window 4096). */
    public static final String TINY_MISTRAL = "tiny-mistral";
    /** Tiny Qwen2: q/k/v biases, tied embeddings. */
    public static final String TINY_QWEN2 = "tiny-qwen2";
    /** Tiny Qwen3: per-head q/k norms, head_dim 24 ≠ hidden/heads. */
    public static final String TINY_QWEN3 = "tiny-qwen3";
    /**
     * A Llama wide enough for kernel benchmarks yet quick to generate: hidden 512, intermediate 1376
     * (= 32·43, not a power of two), 4 layers, 8 heads over 4 KV heads (head_dim 64), vocab 4096,
     * untied; about 16M parameters.
     */
    public static final String SMALL = "small";
    /** Llama-3.2-1B's shapes: hidden 2048, intermediate 8192, 16 layers, 32 heads, 8 KV heads, vocab 128256, tied, llama3 rope. */
    public static final String LLAMA_3_2_1B = "llama-3.2-1b";

    /**
     * The issue-22 speed anchor, TinyLlama-1.1B's widths at 4 layers: hidden 2048, intermediate 5632,
     * 32 heads over 4 KV heads (head_dim 64), vocab 32000, untied, F32 by default; 307M parameters
     * (1.23 GB in F32), half of them embedding and lm_head.
     */
    public static final String LLAMA_307M = "llama-307m";

    private SyntheticModels() {
    }

    /** The preset names, tiny ones first. */
    public static List<String> presetNames() {
        return List.of(TINY, TINY_LLAMA3, TINY_MISTRAL, TINY_QWEN2, TINY_QWEN3, SMALL, LLAMA_307M, LLAMA_3_2_1B);
    }

    /**
     * The config of preset {@code name}, with a complete config.json tree.
     *
     * @throws IllegalArgumentException listing the presets when {@code name} is unknown
     */
    public static ModelConfig preset(String name) {
        UnaryOperator<ObjectNode> edit = switch (name) {
            case TINY -> c -> c;
            case TINY_LLAMA3 -> c -> {
                c.put("tie_word_embeddings", true);
                c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 1.0)
                        .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 64);
                return c;
            };
            case TINY_MISTRAL -> c -> c.put("model_type", "mistral").put("sliding_window", 4096).put("rope_theta", 1000000.0);
            case TINY_QWEN2 -> c -> c.put("model_type", "qwen2").put("tie_word_embeddings", true).put("rms_norm_eps", 1e-6)
                    .put("use_sliding_window", false).put("rope_theta", 1000000.0);
            case TINY_QWEN3 -> c -> c.put("model_type", "qwen3").put("head_dim", 24).put("rms_norm_eps", 1e-6)
                    .put("attention_bias", false).put("rope_theta", 1000000.0);
            case SMALL -> c -> c.put("hidden_size", 512).put("intermediate_size", 1376).put("num_hidden_layers", 4)
                    .put("num_attention_heads", 8).put("num_key_value_heads", 4).put("vocab_size", 4096)
                    .put("max_position_embeddings", 2048);
            case LLAMA_307M -> c -> c.put("hidden_size", 2048).put("intermediate_size", 5632).put("num_hidden_layers", 4)
                    .put("num_attention_heads", 32).put("num_key_value_heads", 4).put("vocab_size", 32000)
                    .put("max_position_embeddings", 2048);
            case LLAMA_3_2_1B -> c -> {
                c.put("hidden_size", 2048).put("intermediate_size", 8192).put("num_hidden_layers", 16)
                        .put("num_attention_heads", 32).put("num_key_value_heads", 8).put("head_dim", 64)
                        .put("vocab_size", 128256).put("max_position_embeddings", 131072).put("rope_theta", 500000.0)
                        .put("tie_word_embeddings", true).put("torch_dtype", "bfloat16")
                        .put("bos_token_id", 128000).put("eos_token_id", 128001);
                c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 32.0).put("low_freq_factor", 1.0)
                        .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 8192);
                return c;
            };
            default -> throw new IllegalArgumentException("unknown synthetic model preset '" + name + "', expected one of " + presetNames());
        };
        ObjectNode json = edit.apply(tinyLlama());
        String type = json.get("model_type").asText();
        String prefix = switch (type) {
            case "mistral" -> "Mistral";
            case "qwen2" -> "Qwen2";
            case "qwen3" -> "Qwen3";
            default -> "Llama";
        };
        json.putArray("architectures").add(prefix + "ForCausalLM");
        return ModelConfig.fromJson(json, "synthetic preset " + name);
    }

    private static ObjectNode tinyLlama() {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("model_type", "llama").put("hidden_size", 64).put("intermediate_size", 172).put("num_hidden_layers", 2)
                .put("num_attention_heads", 4).put("num_key_value_heads", 2).put("vocab_size", 256)
                .put("max_position_embeddings", 512).put("rms_norm_eps", 1e-5).put("rope_theta", 10000.0)
                .put("hidden_act", "silu").put("tie_word_embeddings", false).put("torch_dtype", "float32")
                .put("bos_token_id", 1).put("eos_token_id", 2).put("attention_bias", false).put("mlp_bias", false);
        return c;
    }

    /** Heap-backed weights (GC-owned) for {@code config}; see {@link #generate(ModelConfig, long, DType, Arena)}. */
    public static Map<String, Tensor> generate(ModelConfig config, long seed, DType dtype) {
        return generate(config, seed, dtype, null);
    }

    /**
     * Every parameter of {@code config}'s model, by Hugging Face name in module order.
     *
     * @param dtype F32 or BF16
     * @param arena owner of the tensors' memory, or null for heap tensors
     */
    public static Map<String, Tensor> generate(ModelConfig config, long seed, DType dtype, Arena arena) {
        if (dtype != DType.F32 && dtype != DType.BF16)
            throw new IllegalArgumentException("synthetic weights are F32 or BF16, not " + dtype);
        Architecture arch = Architecture.of(config.modelType());
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : arch.parameterShapes(config).entrySet()) out.put(e.getKey(), make(config, e.getKey(), e.getValue(), seed, dtype, arena));
        return out;
    }

    /**
     * The parameter {@code name} of {@code config}'s model alone, heap-backed, with exactly the values
     * {@link #generate} gives it: lets writers make a large model one tensor at a time.
     *
     * @param dtype F32 or BF16
     * @throws IllegalArgumentException when the model has no parameter {@code name}
     */
    public static Tensor generateTensor(ModelConfig config, String name, long seed, DType dtype) {
        long[] dims = Architecture.of(config.modelType()).parameterShapes(config).get(name);
        if (dims == null)
            throw new IllegalArgumentException("model_type " + config.modelType() + " with this config has no parameter '" + name + "'");
        return make(config, name, dims, seed, dtype, null);
    }

    private static Tensor make(ModelConfig config, String name, long[] dims, long seed, DType dtype, Arena arena) {
        if (dtype != DType.F32 && dtype != DType.BF16)
            throw new IllegalArgumentException("synthetic weights are F32 or BF16, not " + dtype);
        Tensor t = arena == null ? Tensor.allocate(dtype, dims) : Tensor.allocate(arena, dtype, dims);
        fill(t, new SplittableRandom(tensorSeed(seed, name)), initialisation(config, name, dims));
        return t;
    }

    /** Mean and standard deviation of one tensor's entries. */
    private record Init(double mean, double std) {
    }

    private static Init initialisation(ModelConfig config, String name, long[] dims) {
        if (name.endsWith("norm.weight")) return new Init(1, 0.05);
        if (name.endsWith(".bias")) return new Init(0, 0.05);
        if (name.equals("model.embed_tokens.weight") || name.equals("lm_head.weight"))
            return new Init(0, 1 / Math.sqrt(config.hiddenSize()));
        double std = 1 / Math.sqrt(dims[1]);
        if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) std /= Math.sqrt(2.0 * config.numHiddenLayers());
        return new Init(0, std);
    }

    private static long tensorSeed(long seed, String name) {
        long h = seed;
        for (int i = 0; i < name.length(); i++) h = (h ^ name.charAt(i)) * 0x100000001B3L;
        return h;
    }

    private static void fill(Tensor t, SplittableRandom random, Init init) {
        MemorySegment segment = t.segment();
        long base = t.byteOffset();
        long n = t.elementCount();
        if (t.dtype() == DType.F32) {
            for (long i = 0; i < n; i++) segment.set(Tensor.F32, base + 4 * i, (float) (init.mean + init.std * random.nextGaussian()));
        } else {
            for (long i = 0; i < n; i++)
                segment.set(Tensor.I16, base + 2 * i, FloatFormats.floatToBf16((float) (init.mean + init.std * random.nextGaussian())));
        }
    }
}
