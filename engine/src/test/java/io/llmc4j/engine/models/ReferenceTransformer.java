package io.llmc4j.engine.models;

import io.llmc4j.engine.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * The test oracle: a Llama-family forward in plain double arrays, written straight from the
 * Hugging Face modeling code (LlamaRMSNorm, rotate_half RoPE with default/linear/llama3
 * frequencies, eager causal GQA attention, SwiGLU MLP, Qwen2 q/k/v biases, Qwen3 per-head q/k
 * norms). It shares no code with the modules or the kernels; it only reads the config's numbers and
 * the weights' values.
 */
final class ReferenceTransformer {
    private final ModelConfig c;
    private final Map<String, double[]> w = new HashMap<>();
    private final boolean qkvBias;
    private final boolean oBias;
    private final boolean mlpBias;
    private final boolean qkNorm;
    private final double[] inverseFrequencies;

    ReferenceTransformer(ModelConfig config, Map<String, Tensor> weights) {
        this.c = config;
        for (var e : weights.entrySet()) {
            Tensor t = e.getValue();
            double[] values = new double[Math.toIntExact(t.elementCount())];
            float[] f = t.toFloatArray();
            for (int i = 0; i < values.length; i++) values[i] = f[i];
            w.put(e.getKey(), values);
        }
        switch (config.modelType()) {
            case "llama" -> {
                qkvBias = config.attentionBias();
                oBias = config.attentionBias();
                mlpBias = config.mlpBias();
                qkNorm = false;
            }
            case "mistral" -> {
                qkvBias = false;
                oBias = false;
                mlpBias = false;
                qkNorm = false;
            }
            case "qwen2" -> {
                qkvBias = true;
                oBias = false;
                mlpBias = false;
                qkNorm = false;
            }
            case "qwen3" -> {
                qkvBias = config.attentionBias();
                oBias = config.attentionBias();
                mlpBias = false;
                qkNorm = true;
            }
            default -> throw new IllegalArgumentException(config.modelType());
        }
        inverseFrequencies = ropeFrequencies(config);
    }

    /** HF _compute_default_rope_parameters, then linear or llama3 scaling, in double. */
    static double[] ropeFrequencies(ModelConfig c) {
        int d = c.headDim();
        double[] inv = new double[d / 2];
        for (int i = 0; i < inv.length; i++) inv[i] = 1.0 / Math.pow(c.ropeTheta(), (double) (2 * i) / d);
        var scaling = c.json().get("rope_scaling");
        if (scaling == null || scaling.isNull()) return inv;
        String type = scaling.has("rope_type") ? scaling.get("rope_type").asText() : scaling.get("type").asText();
        double factor = scaling.path("factor").asDouble();
        switch (type) {
            case "linear" -> {
                for (int i = 0; i < inv.length; i++) inv[i] /= factor;
            }
            case "llama3" -> {
                double low = scaling.get("low_freq_factor").asDouble(), high = scaling.get("high_freq_factor").asDouble();
                double old = scaling.get("original_max_position_embeddings").asDouble();
                double lowWavelen = old / low, highWavelen = old / high;
                for (int i = 0; i < inv.length; i++) {
                    double wavelen = 2 * Math.PI / inv[i];
                    double llama = wavelen > lowWavelen ? inv[i] / factor : inv[i];
                    double smooth = (old / wavelen - low) / (high - low);
                    double smoothed = (1 - smooth) * llama / factor + smooth * llama;
                    boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
                    inv[i] = medium ? smoothed : llama;
                }
            }
            case "default" -> {
            }
            default -> throw new IllegalArgumentException(type);
        }
        return inv;
    }

    /** logits[b][t][v] for ids [B][T]; mask [B][T] of 1/0 or null. */
    double[][][] logits(long[][] ids, int[][] mask) {
        double[][][] out = new double[ids.length][][];
        for (int b = 0; b < ids.length; b++) out[b] = sequence(ids[b], mask == null ? null : mask[b]);
        return out;
    }

    private double[][] sequence(long[] ids, int[] mask) {
        int tokens = ids.length, hidden = c.hiddenSize();
        double[] embed = w.get("model.embed_tokens.weight");
        double[][] h = new double[tokens][hidden];
        for (int t = 0; t < tokens; t++) System.arraycopy(embed, (int) ids[t] * hidden, h[t], 0, hidden);
        for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
            String p = "model.layers." + layer + ".";
            double[][] attn = attention(p, rms(h, w.get(p + "input_layernorm.weight")), mask);
            for (int t = 0; t < tokens; t++) for (int i = 0; i < hidden; i++) h[t][i] += attn[t][i];
            double[][] x = rms(h, w.get(p + "post_attention_layernorm.weight"));
            double[][] gate = linear(x, p + "mlp.gate_proj", mlpBias);
            double[][] up = linear(x, p + "mlp.up_proj", mlpBias);
            for (int t = 0; t < tokens; t++)
                for (int i = 0; i < gate[t].length; i++) gate[t][i] = gate[t][i] / (1 + Math.exp(-gate[t][i])) * up[t][i];
            double[][] down = linear(gate, p + "mlp.down_proj", mlpBias);
            for (int t = 0; t < tokens; t++) for (int i = 0; i < hidden; i++) h[t][i] += down[t][i];
        }
        double[][] normed = rms(h, w.get("model.norm.weight"));
        return c.tieWordEmbeddings() ? matmulTransposed(normed, embed, c.vocabSize(), null)
                : linear(normed, "lm_head", false);
    }

    private double[][] attention(String p, double[][] x, int[] mask) {
        int tokens = x.length, heads = c.numAttentionHeads(), kvHeads = c.numKeyValueHeads(), d = c.headDim();
        double[][] q = linear(x, p + "self_attn.q_proj", qkvBias);
        double[][] k = linear(x, p + "self_attn.k_proj", qkvBias);
        double[][] v = linear(x, p + "self_attn.v_proj", qkvBias);
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                if (qkNorm) rmsInPlace(q[t], h * d, d, w.get(p + "self_attn.q_norm.weight"));
                rope(q[t], h * d, t);
            }
            for (int h = 0; h < kvHeads; h++) {
                if (qkNorm) rmsInPlace(k[t], h * d, d, w.get(p + "self_attn.k_norm.weight"));
                rope(k[t], h * d, t);
            }
        }
        double scale = 1 / Math.sqrt(d);
        double[][] out = new double[tokens][heads * d];
        for (int h = 0; h < heads; h++) {
            int kvh = h / (heads / kvHeads);
            for (int i = 0; i < tokens; i++) {
                double[] scores = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    if (mask != null && mask[j] == 0) {
                        scores[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double s = 0;
                    for (int e = 0; e < d; e++) s += q[i][h * d + e] * k[j][kvh * d + e];
                    scores[j] = s * scale;
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int j = 0; j <= i; j++)
                    for (int e = 0; e < d; e++) out[i][h * d + e] += scores[j] / sum * v[j][kvh * d + e];
            }
        }
        return linear(out, p + "self_attn.o_proj", oBias);
    }

    /** x·cos + rotate_half(x)·sin on x[at .. at+d). */
    private void rope(double[] x, int at, int position) {
        int d = c.headDim(), half = d / 2;
        double[] in = java.util.Arrays.copyOfRange(x, at, at + d);
        for (int e = 0; e < d; e++) {
            double angle = position * inverseFrequencies[e % half];
            double rotated = e < half ? -in[e + half] : in[e - half];
            x[at + e] = in[e] * Math.cos(angle) + rotated * Math.sin(angle);
        }
    }

    private double[][] rms(double[][] x, double[] weight) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            out[t] = x[t].clone();
            rmsInPlace(out[t], 0, out[t].length, weight);
        }
        return out;
    }

    private void rmsInPlace(double[] x, int at, int n, double[] weight) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += x[at + i] * x[at + i];
        double inv = 1 / Math.sqrt(ss / n + c.rmsNormEps());
        for (int i = 0; i < n; i++) x[at + i] = weight[i] * (x[at + i] * inv);
    }

    private double[][] linear(double[][] x, String name, boolean bias) {
        double[] weight = w.get(name + ".weight");
        int in = x[0].length, out = weight.length / in;
        return matmulTransposed(x, weight, out, bias ? w.get(name + ".bias") : null);
    }

    private static double[][] matmulTransposed(double[][] x, double[] weight, int out, double[] bias) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++)
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) acc += x[t][i] * weight[o * in + i];
                y[t][o] = acc;
            }
        return y;
    }
}
