package io.llmc4j.engine.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.engine.nn.Activation;
import io.llmc4j.engine.nn.RopeScaling;
import io.llmc4j.engine.tensor.DType;
import java.io.IOException;
import io.llmc4j.engine.io.TextFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The architecture facts of a Hugging Face decoder-only model, parsed from its {@code config.json}
 * (keys as in {@code transformers.LlamaConfig}; defaults as the config class of each
 * {@code model_type}).
 *
 * <p>{@link #json()} keeps the whole original tree, unknown keys included, so writers can re-emit
 * {@code config.json} with extra keys (e.g. {@code quantization_config}).
 *
 * <p>Defaults: {@code num_key_value_heads} = {@code num_attention_heads}; {@code head_dim} =
 * hidden_size / num_attention_heads (128 for qwen3, as {@code Qwen3Config}); {@code rope_theta}
 * 10000; {@code rms_norm_eps} 1e-6; the activation is {@code hidden_activation} (Gemma), else
 * {@code hidden_act}, else "silu" ("gelu_pytorch_tanh" for Gemma); biases and tied embeddings off;
 * {@code sliding_window} 4096 for mistral when the key is absent, and for qwen2/qwen3 only when
 * {@code use_sliding_window} is true. Rotary settings are read from {@code rope_scaling} (or the
 * newer {@code rope_parameters}); supported types are default, linear and llama3.
 *
 * <p>Immutable value; every validation error is a {@link ModelConfigException} naming the file and
 * the key.
 *
 * @param ropeScaling   never null ({@link RopeScaling.None} when absent)
 * @param torchDtype    {@code torch_dtype} (or {@code dtype}) as written, or null
 * @param eosTokenIds   empty when absent; one or more ids
 * @param slidingWindow the effective attention window in tokens, or null for full attention
 * @param json          the complete original tree
 */
public record ModelConfig(
        String modelType,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int vocabSize,
        int maxPositionEmbeddings,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        String torchDtype,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        boolean attentionBias,
        boolean mlpBias,
        Activation hiddenAct,
        Integer slidingWindow,
        ObjectNode json) {

    /** The file name used in messages when no path is known. */
    public static final String FILE_NAME = "config.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, DType> TORCH_DTYPES = Map.of(
            "float32", DType.F32, "float", DType.F32, "bfloat16", DType.BF16, "float16", DType.F16, "half", DType.F16,
            "float64", DType.F64);

    public ModelConfig {
        if (modelType == null || modelType.isBlank()) throw invalid("model_type", "is required, found " + modelType);
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("num_key_value_heads", numKeyValueHeads);
        requirePositive("head_dim", headDim);
        requirePositive("vocab_size", vocabSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (numAttentionHeads % numKeyValueHeads != 0)
            throw invalid("num_key_value_heads", "= " + numKeyValueHeads + " must divide num_attention_heads = " + numAttentionHeads);
        if (headDim % 2 != 0) throw invalid("head_dim", "must be even for rotary embeddings, found " + headDim);
        if (!(rmsNormEps > 0)) throw invalid("rms_norm_eps", "must be positive, found " + rmsNormEps);
        if (!(ropeTheta > 0)) throw invalid("rope_theta", "must be positive, found " + ropeTheta);
        if (ropeScaling == null) ropeScaling = new RopeScaling.None();
        if (torchDtype != null && !TORCH_DTYPES.containsKey(torchDtype))
            throw invalid("torch_dtype", "must be one of " + TORCH_DTYPES.keySet() + ", found \"" + torchDtype + "\"");
        eosTokenIds = eosTokenIds == null ? List.of() : List.copyOf(eosTokenIds);
        if (hiddenAct == null) hiddenAct = Activation.SILU;
        if (slidingWindow != null && slidingWindow <= 0) throw invalid("sliding_window", "must be positive, found " + slidingWindow);
        if (json == null) throw invalid(null, "the original JSON tree is required");
        json = json.deepCopy();
    }

    private static ModelConfigException invalid(String key, String problem) {
        return new ModelConfigException(FILE_NAME, key, problem);
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) throw invalid(key, "must be a positive integer, found " + value);
    }

    /** A copy of the complete original tree (callers may modify it freely). */
    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The dtype of the checkpoint's parameters from {@code torch_dtype}, if given. */
    public Optional<DType> parameterDType() {
        return Optional.ofNullable(torchDtype).map(TORCH_DTYPES::get);
    }

    /** Query heads per key/value head. */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    // ---------------------------------------------------------------- parsing

    /** Reads and parses {@code configFile}; errors name its path. */
    public static ModelConfig read(Path configFile) throws IOException {
        return parse(TextFiles.readUtf8(configFile, "a config.json file"), configFile.toString());
    }

    /** Parses config.json text; {@code origin} (a path or description) prefixes every error. */
    public static ModelConfig parse(String jsonText, String origin) {
        JsonNode tree;
        try {
            tree = JSON.readTree(jsonText);
        } catch (JsonProcessingException e) {
            throw new ModelConfigException(origin, null, "is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode object)) throw new ModelConfigException(origin, null, "must be a JSON object, found " + tree);
        return fromJson(object, origin);
    }

    /** Builds a config from a parsed tree (kept as a deep copy). */
    public static ModelConfig fromJson(ObjectNode tree, String origin) {
        ConfigFields f = new ConfigFields(tree, origin);
        String modelType = f.requiredString("model_type");
        int hidden = f.requiredPositiveInt("hidden_size");
        int heads = f.requiredPositiveInt("num_attention_heads");
        int headDim;
        if (f.has("head_dim")) {
            headDim = f.requiredPositiveInt("head_dim");
        } else if (modelType.equals("qwen3")) {
            headDim = 128;
        } else {
            if (hidden % heads != 0)
                throw f.error("hidden_size", "= " + hidden + " is not divisible by num_attention_heads = " + heads + " and no head_dim is given");
            headDim = hidden / heads;
        }
        Activation act;
        String activationKey = f.has("hidden_activation") ? "hidden_activation" : "hidden_act";
        try {
            act = Activation.fromHuggingFace(f.optionalString(activationKey, modelType.startsWith("gemma") ? "gelu_pytorch_tanh" : "silu"));
        } catch (IllegalArgumentException e) {
            throw f.error(activationKey, e.getMessage());
        }
        String dtype = f.optionalString("torch_dtype", f.optionalString("dtype", null));
        JsonNode ropeParameters = f.node("rope_parameters");
        try {
            return new ModelConfig(
                    modelType,
                    hidden,
                    f.requiredPositiveInt("intermediate_size"),
                    f.requiredPositiveInt("num_hidden_layers"),
                    heads,
                    f.optionalPositiveInt("num_key_value_heads", heads),
                    headDim,
                    f.requiredPositiveInt("vocab_size"),
                    f.optionalPositiveInt("max_position_embeddings", defaultMaxPositions(modelType)),
                    f.optionalPositiveDouble("rms_norm_eps", 1e-6),
                    ropeTheta(f, ropeParameters),
                    RopeScalingParser.parse(f, ropeParameters),
                    f.optionalBoolean("tie_word_embeddings", false),
                    dtype,
                    f.optionalTokenId("bos_token_id"),
                    f.tokenIdList("eos_token_id"),
                    f.optionalBoolean("attention_bias", false),
                    f.optionalBoolean("mlp_bias", false),
                    act,
                    slidingWindow(f, modelType),
                    tree);
        } catch (ModelConfigException e) {
            throw e.origin().equals(origin) ? e : e.withOrigin(origin);
        }
    }

    private static int defaultMaxPositions(String modelType) {
        return switch (modelType) {
            case "mistral" -> 4096 * 32;
            case "qwen2", "qwen3" -> 32768;
            default -> 2048;
        };
    }

    private static double ropeTheta(ConfigFields f, JsonNode ropeParameters) {
        if (f.has("rope_theta")) return f.optionalPositiveDouble("rope_theta", 10000);
        if (ropeParameters != null && ropeParameters.hasNonNull("rope_theta"))
            return f.positiveDouble("rope_parameters.rope_theta", ropeParameters.get("rope_theta"));
        return 10000;
    }

    private static Integer slidingWindow(ConfigFields f, String modelType) {
        if (f.has("use_sliding_window") && !f.optionalBoolean("use_sliding_window", false)) return null;
        if (modelType.equals("qwen2") || modelType.equals("qwen3")) {
            if (!f.optionalBoolean("use_sliding_window", false)) return null;
            return f.optionalPositiveInt("sliding_window", 4096);
        }
        if (modelType.equals("mistral") && !f.json().has("sliding_window")) return 4096;
        return f.optionalPositiveInt("sliding_window");
    }
}
