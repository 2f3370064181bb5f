package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;

/**
 * Rotary position embedding tables (Hugging Face {@code LlamaRotaryEmbedding}), for positions
 * 0..T−1.
 *
 * <p>forward(hidden [B, T, ...]) returns one F32 tensor [2, B, T, headDim]: index 0 of the first
 * axis is cos, index 1 is sin, each {@code cat(freqs, freqs)} in the rotate_half layout that
 * {@code ops.rope} expects. Only the input's shape is used, so the result is a constant for the
 * tracer. Inverse frequencies are θ^(−2i/headDim), adjusted by {@link RopeScaling}; as in Hugging
 * Face, they are stored as float32, the angle is the float32 product inverseFrequency·position and
 * cos/sin are taken of that float angle, then multiplied by the scaling's attention factor (YaRN).
 *
 * <p>No parameters and no persistent buffers. Immutable; thread-safe.
 */
public final class RotaryEmbedding extends Module {
    private final String typeName;
    private final int headDim;
    private final float[] inverseFrequencies;
    private final float attentionScaling;

    /** {@code typeName} is the Hugging Face class name, e.g. "LlamaRotaryEmbedding". */
    public RotaryEmbedding(String typeName, int headDim, double theta, RopeScaling scaling) {
        this.typeName = typeName;
        this.headDim = headDim;
        double[] scaled = scaling.apply(defaultInverseFrequencies(headDim, theta), theta, headDim);
        this.attentionScaling = (float) scaling.attentionScaling();
        this.inverseFrequencies = new float[scaled.length];
        for (int i = 0; i < scaled.length; i++) inverseFrequencies[i] = (float) scaled[i];
    }

    /** θ^(−2i/headDim) for i &lt; headDim/2 ({@code _compute_default_rope_parameters}). */
    public static double[] defaultInverseFrequencies(int headDim, double theta) {
        if (headDim <= 0 || headDim % 2 != 0) throw new IllegalArgumentException("rotary head dimension must be positive and even, got " + headDim);
        if (!(theta > 0)) throw new IllegalArgumentException("rope_theta must be positive, got " + theta);
        double[] out = new double[headDim / 2];
        for (int i = 0; i < out.length; i++) out[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        return out;
    }

    @Override
    public String typeName() {
        return typeName;
    }

    public int headDim() {
        return headDim;
    }

    /** The float32 inverse frequencies in use (a copy), headDim/2 of them. */
    public float[] inverseFrequencies() {
        return inverseFrequencies.clone();
    }

    /** inputs: hidden [B, T, ...] (shape only). Returns [2, B, T, headDim] (cos, sin). */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 1);
        Tensor hidden = inputs[0];
        if (hidden.rank() < 2) throw new IllegalArgumentException(typeName + " expects [batch, tokens, ...], got " + hidden.shape());
        int batch = Math.toIntExact(hidden.dim(0));
        int tokens = Math.toIntExact(hidden.dim(1));
        int half = headDim / 2;
        long perTable = Math.multiplyExact(Math.multiplyExact((long) batch, tokens), headDim);
        float[] data = new float[Math.toIntExact(Math.multiplyExact(2L, perTable))];
        for (int t = 0; t < tokens; t++) {
            int row = t * headDim;
            for (int i = 0; i < half; i++) {
                float angle = inverseFrequencies[i] * (float) t;
                float cos = (float) Math.cos(angle), sin = (float) Math.sin(angle);
                if (attentionScaling != 1f) {
                    cos *= attentionScaling;
                    sin *= attentionScaling;
                }
                data[row + i] = cos;
                data[row + half + i] = cos;
                data[(int) perTable + row + i] = sin;
                data[(int) perTable + row + half + i] = sin;
            }
        }
        int rowsPerBatch = tokens * headDim;
        for (int b = 1; b < batch; b++) {
            System.arraycopy(data, 0, data, b * rowsPerBatch, rowsPerBatch);
            System.arraycopy(data, (int) perTable, data, (int) perTable + b * rowsPerBatch, rowsPerBatch);
        }
        return Tensor.of(data, 2, batch, tokens, headDim);
    }
}
