package io.llmc4j.engine.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmc4j.engine.nn.Activation;
import io.llmc4j.engine.nn.Attention;
import io.llmc4j.engine.nn.AttentionOptions;
import io.llmc4j.engine.nn.AttentionOptions.QkNorm;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.DecoderLayer;
import io.llmc4j.engine.nn.DecoderModel;
import io.llmc4j.engine.nn.Embedding;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.MLP;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.nn.ModuleList;
import io.llmc4j.engine.nn.NormPlacement;
import io.llmc4j.engine.nn.RMSNorm;
import io.llmc4j.engine.nn.RotaryEmbedding;
import io.llmc4j.engine.nn.RopeScaling;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Builds a decoder-only model from shared blocks; an architecture file ({@link Architecture}'s
 * declarations) sets the fields where its model differs from Llama, then {@link #build} asks
 * {@link Weights} for every tensor by its Hugging Face name and assembles:
 *
 * <pre>
 *   XForCausalLM ── model: XModel ── embed_tokens (·embeddingScale), layers.i: XDecoderLayer, norm, rotary_emb(s)
 *               └─ lm_head (the embed_tokens tensor itself when tie_word_embeddings)   (·logitScale, soft-cap)
 *   XDecoderLayer ── self_attn: XAttention (q/k/v/o or qkv/o Linears, q/k norms), feedForward (mlp | block_sparse_moe),
 *                    norms by {@link NormPlacement}
 * </pre>
 *
 * Class names use the architecture's prefix ("Gemma2" gives "Gemma2DecoderLayer"). Fields are
 * package-private on purpose: the architecture files are their only writers. One build per object.
 */
final class DecoderBuilder {
    /** Builds the feed-forward block of layer {@code layer}, whose tensors start with {@code prefix}. */
    @FunctionalInterface
    interface FeedForward {
        Module build(DecoderBuilder b, int layer, String prefix);
    }

    final ModelConfig config;
    final ConfigFields fields;
    final String classPrefix;
    private final Weights weights;
    private final Ops ops;

    // Attention
    boolean qkvBias;
    boolean outputBias;
    boolean fusedQkv;
    QkNorm qkNorm = QkNorm.NONE;
    /** gpt-oss: each attention has a {@code sinks} parameter [heads]. */
    boolean attentionSinks;
    float attentionScale;
    float attentionSoftcap;
    /** Which layers apply RoPE (SmolLM3's NoPE layers do not). */
    IntPredicate rotary = layer -> true;
    /** Layer type when config.json has no layer_types. */
    java.util.function.IntFunction<String> defaultLayerType;
    /** Rotary tables: [global] or [global, local]; {@link #ropeTableOf} picks one per layer. */
    List<RotaryEmbedding> ropeTables = new ArrayList<>();
    IntUnaryOperator ropeTableOf = layer -> 0;

    // Feed-forward and norms
    boolean mlpBias;
    boolean fusedGateUp;
    boolean normOffset;
    NormPlacement placement = NormPlacement.PRE;
    String feedForwardName = "mlp";
    FeedForward feedForward = (b, layer, prefix) -> b.denseMlp(prefix, b.config.intermediateSize());

    // Scalars
    float embeddingScale = 1f;
    float residualMultiplier = 1f;
    float logitScale = 1f;
    float finalSoftcap;

    DecoderBuilder(ModelConfig config, String classPrefix, Weights weights, Ops ops) {
        this.config = config;
        this.fields = new ConfigFields(config.json(), ModelConfig.FILE_NAME);
        this.classPrefix = classPrefix;
        this.weights = weights;
        this.ops = ops;
        this.attentionScale = (float) (1 / Math.sqrt(config.headDim()));
        this.defaultLayerType = layer -> config.slidingWindow() != null ? SLIDING : FULL;
    }

    static final String SLIDING = "sliding_attention";
    static final String FULL = "full_attention";

    String className(String suffix) {
        return classPrefix + suffix;
    }

    // ---------------------------------------------------------------- blocks

    Tensor tensor(String name, long... dims) {
        return weights.get(name, dims);
    }

    /** True when the checkpoint holds tensor {@code name} (false while only listing parameters). */
    boolean has(String name) {
        return weights.contains(name);
    }

    Linear linear(String name, long out, long in, boolean bias) {
        return new Linear(ops, tensor(name + ".weight", out, in), bias ? tensor(name + ".bias", out) : null);
    }

    RMSNorm norm(String name, long features) {
        return new RMSNorm(ops, className("RMSNorm"), tensor(name + ".weight", features), (float) config.rmsNormEps(), normOffset);
    }

    /** gate/up/down projections of width {@code intermediate} under Llama's names (or Phi-3's fused gate_up_proj). */
    MLP denseMlp(String prefix, long intermediate) {
        long hidden = config.hiddenSize();
        if (fusedGateUp)
            return new MLP(ops, className("MLP"), config.hiddenAct(), linear(prefix + "gate_up_proj", 2 * intermediate, hidden, mlpBias),
                    linear(prefix + "down_proj", hidden, intermediate, mlpBias));
        return gatedMlp(prefix, className("MLP"), intermediate, "gate_proj", "up_proj", "down_proj");
    }

    /** A SwiGLU-style MLP whose three projections have the given names. */
    MLP gatedMlp(String prefix, String typeName, long intermediate, String gate, String up, String down) {
        return gatedMlp(prefix, typeName, intermediate, gate, up, down, mlpBias, config.hiddenAct());
    }

    /** As above, with the biases and activation given. */
    MLP gatedMlp(String prefix, String typeName, long intermediate, String gate, String up, String down, boolean bias, Activation activation) {
        long hidden = config.hiddenSize();
        return new MLP(ops, typeName, activation, gate, linear(prefix + gate, intermediate, hidden, bias),
                up, linear(prefix + up, intermediate, hidden, bias), down, linear(prefix + down, hidden, intermediate, bias));
    }

    Ops ops() {
        return ops;
    }

    // ---------------------------------------------------------------- config fields beyond ModelConfig

    /** A non-negative integer field, or {@code fallback} when absent. */
    int intField(String key, int fallback) {
        JsonNode n = fields.node(key);
        if (n == null) return fallback;
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) throw fields.error(key, "must be a non-negative integer, found " + n);
        return n.intValue();
    }

    /** A positive number field, or {@code fallback} when absent or null. */
    double number(String key, double fallback) {
        return fields.optionalPositiveDouble(key, fallback);
    }

    boolean bool(String key, boolean fallback) {
        return fields.optionalBoolean(key, fallback);
    }

    /** An integer list field (one entry per layer when {@code perLayer}), or null when absent. */
    int[] intList(String key, boolean perLayer) {
        JsonNode n = fields.node(key);
        if (n == null) return null;
        if (!n.isArray() || (perLayer && n.size() != config.numHiddenLayers()))
            throw fields.error(key, "must be a list of integers" + (perLayer ? ", one per layer (" + config.numHiddenLayers() + ")" : "") + ", found " + n);
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isIntegralNumber()) throw fields.error(key, "entry " + i + " must be an integer, found " + n.get(i));
            out[i] = n.get(i).intValue();
        }
        return out;
    }

    /** "sliding_attention" or "full_attention" for layer {@code layer}: config.json's layer_types, else the architecture's default. */
    String layerType(int layer) {
        JsonNode types = fields.node("layer_types");
        if (types == null) return defaultLayerType.apply(layer);
        if (!types.isArray() || types.size() != config.numHiddenLayers())
            throw fields.error("layer_types", "must list one type per layer (" + config.numHiddenLayers() + "), found " + types);
        String type = types.get(layer).asText();
        if (!type.equals(SLIDING) && !type.equals(FULL))
            throw fields.error("layer_types", "entry " + layer + " is \"" + type + "\"; supported: " + FULL + ", " + SLIDING);
        return type;
    }

    private int slidingWindow(int layer) {
        if (!layerType(layer).equals(SLIDING)) return 0;
        Integer window = config.slidingWindow() != null ? config.slidingWindow() : fields.optionalPositiveInt("sliding_window");
        if (window == null) throw fields.error("sliding_window", "is required: layer " + layer + " is a " + SLIDING + " layer");
        return window;
    }

    private Attention attention(String prefix, int layer) {
        long hidden = config.hiddenSize(), headDim = config.headDim();
        long qOut = Math.multiplyExact((long) config.numAttentionHeads(), headDim);
        long kvOut = Math.multiplyExact((long) config.numKeyValueHeads(), headDim);
        Map<String, Linear> projections = new LinkedHashMap<>();
        if (fusedQkv) {
            projections.put("qkv_proj", linear(prefix + "qkv_proj", qOut + 2 * kvOut, hidden, qkvBias));
        } else {
            projections.put("q_proj", linear(prefix + "q_proj", qOut, hidden, qkvBias));
            projections.put("k_proj", linear(prefix + "k_proj", kvOut, hidden, qkvBias));
            projections.put("v_proj", linear(prefix + "v_proj", kvOut, hidden, qkvBias));
        }
        projections.put("o_proj", linear(prefix + "o_proj", hidden, qOut, outputBias));
        RMSNorm qNorm = null, kNorm = null;
        if (qkNorm != QkNorm.NONE) {
            qNorm = norm(prefix + "q_norm", qkNorm == QkNorm.HEAD ? headDim : qOut);
            kNorm = norm(prefix + "k_norm", qkNorm == QkNorm.HEAD ? headDim : kvOut);
        }
        AttentionOptions options = new AttentionOptions(attentionScale, slidingWindow(layer), attentionSoftcap, rotary.test(layer), qkNorm);
        Tensor sinks = attentionSinks ? tensor(prefix + "sinks", config.numAttentionHeads()) : null;
        return new Attention(ops, className("Attention"), config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim(),
                projections, qNorm, kNorm, options, sinks);
    }

    /** A rotary table for this model's head dim. */
    RotaryEmbedding rotaryTable(double theta, RopeScaling scaling) {
        return new RotaryEmbedding(className("RotaryEmbedding"), config.headDim(), theta, scaling);
    }

    // ---------------------------------------------------------------- assembly

    CausalLM build() {
        long hidden = config.hiddenSize();
        Tensor embedding = tensor("model.embed_tokens.weight", config.vocabSize(), hidden);
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String prefix = "model.layers." + i + ".";
            Attention attention = attention(prefix + "self_attn.", i);
            Module feed = feedForward.build(this, i, prefix + feedForwardName + ".");
            Map<String, RMSNorm> norms = new LinkedHashMap<>();
            for (String name : placement.normNames()) norms.put(name, norm(prefix + name, hidden));
            layers.add(new DecoderLayer(ops, className("DecoderLayer"), attention, feedForwardName, feed, placement, norms, residualMultiplier));
        }
        RMSNorm finalNorm = norm("model.norm", hidden);
        if (ropeTables.isEmpty()) ropeTables.add(rotaryTable(config.ropeTheta(), config.ropeScaling()));
        int[] tableOfLayer = new int[layers.size()];
        for (int i = 0; i < tableOfLayer.length; i++) tableOfLayer[i] = ropeTableOf.applyAsInt(i);
        DecoderModel model = new DecoderModel(ops, className("Model"), new Embedding(ops, embedding), embeddingScale,
                new ModuleList(layers), finalNorm, ropeTables, tableOfLayer);
        Tensor head = config.tieWordEmbeddings() ? embedding : tensor("lm_head.weight", config.vocabSize(), hidden);
        return new CausalLM(ops, className("ForCausalLM"), model, new Linear(ops, head, null), logitScale, finalSoftcap);
    }
}
