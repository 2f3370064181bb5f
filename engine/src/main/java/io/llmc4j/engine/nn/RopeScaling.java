package io.llmc4j.engine.nn;

/**
 * How rotary inverse frequencies are adjusted for long contexts: Hugging Face's
 * {@code rope_scaling} ({@code rope_type} "default", "linear", "llama3" or "yarn"; see
 * {@code transformers.modeling_rope_utils}). All but YaRN keep the attention scaling at 1.
 */
public sealed interface RopeScaling {

    /** The Hugging Face {@code rope_type} name. */
    String ropeType();

    /** Returns the adjusted copy of {@code inverseFrequencies} (radians per position, one per rotated pair). */
    double[] apply(double[] inverseFrequencies);

    /**
     * As {@link #apply(double[])}, for tables of {@code rotaryDim} dimensions at base {@code theta}
     * (YaRN's correction range depends on them).
     */
    default double[] apply(double[] inverseFrequencies, double theta, int rotaryDim) {
        return apply(inverseFrequencies);
    }

    /** The factor on cos and sin (YaRN's attention factor; 1 for the others). */
    default double attentionScaling() {
        return 1;
    }

    /** No scaling ({@code rope_scaling} absent or of type "default"). */
    record None() implements RopeScaling {
        @Override
        public String ropeType() {
            return "default";
        }

        @Override
        public double[] apply(double[] inverseFrequencies) {
            return inverseFrequencies.clone();
        }
    }

    /** Position interpolation: every inverse frequency divided by {@code factor} ({@code _compute_linear_scaling_rope_parameters}). */
    record Linear(double factor) implements RopeScaling {
        public Linear {
            if (!(factor > 0)) throw new IllegalArgumentException("linear rope scaling factor must be positive, got " + factor);
        }

        @Override
        public String ropeType() {
            return "linear";
        }

        @Override
        public double[] apply(double[] inverseFrequencies) {
            double[] out = new double[inverseFrequencies.length];
            for (int i = 0; i < out.length; i++) out[i] = inverseFrequencies[i] / factor;
            return out;
        }
    }

    /**
     * Llama 3.1's frequency-dependent scaling ({@code _compute_llama3_parameters}): wavelengths
     * shorter than original/highFreqFactor are kept, longer than original/lowFreqFactor are divided
     * by {@code factor}, and those in between are interpolated smoothly.
     */
    record Llama3(double factor, double lowFreqFactor, double highFreqFactor, double originalMaxPositionEmbeddings)
            implements RopeScaling {
        public Llama3 {
            if (!(factor > 0)) throw new IllegalArgumentException("llama3 rope scaling factor must be positive, got " + factor);
            if (!(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor))
                throw new IllegalArgumentException("llama3 rope scaling needs 0 < low_freq_factor < high_freq_factor, got "
                        + lowFreqFactor + " and " + highFreqFactor);
            if (!(originalMaxPositionEmbeddings > 0))
                throw new IllegalArgumentException("llama3 rope scaling original_max_position_embeddings must be positive, got "
                        + originalMaxPositionEmbeddings);
        }

        @Override
        public String ropeType() {
            return "llama3";
        }

        @Override
        public double[] apply(double[] inverseFrequencies) {
            double lowFreqWavelength = originalMaxPositionEmbeddings / lowFreqFactor;
            double highFreqWavelength = originalMaxPositionEmbeddings / highFreqFactor;
            double[] out = new double[inverseFrequencies.length];
            for (int i = 0; i < out.length; i++) {
                double f = inverseFrequencies[i];
                double wavelength = 2 * Math.PI / f;
                if (wavelength < highFreqWavelength) {
                    out[i] = f;
                } else if (wavelength > lowFreqWavelength) {
                    out[i] = f / factor;
                } else {
                    double smooth = (originalMaxPositionEmbeddings / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    out[i] = (1 - smooth) * f / factor + smooth * f;
                }
            }
            return out;
        }
    }

    /**
     * YaRN ({@code _compute_yarn_parameters}): frequencies blend between extrapolation (θ^(−2i/d)) and
     * interpolation (divided by {@code factor}) over a linear ramp between the correction dims of
     * {@code betaFast} and {@code betaSlow} rotations within {@code originalMaxPositionEmbeddings}
     * (floored/ceiled when {@code truncate}); cos and sin are multiplied by the attention factor
     * (given, or 0.1·mscale·ln(factor) + 1, or the ratio of the two mscales when both are given).
     *
     * @param attentionFactor the explicit attention factor, or NaN to derive it
     * @param mscale          mscale, or 0 when absent
     * @param mscaleAllDim    mscale_all_dim, or 0 when absent
     */
    record Yarn(double factor, double betaFast, double betaSlow, double originalMaxPositionEmbeddings, boolean truncate,
                double attentionFactor, double mscale, double mscaleAllDim) implements RopeScaling {
        public Yarn {
            if (!(factor > 0)) throw new IllegalArgumentException("yarn rope scaling factor must be positive, got " + factor);
            if (!(originalMaxPositionEmbeddings > 0))
                throw new IllegalArgumentException("yarn original_max_position_embeddings must be positive, got " + originalMaxPositionEmbeddings);
        }

        @Override
        public String ropeType() {
            return "yarn";
        }

        @Override
        public double[] apply(double[] inverseFrequencies) {
            throw new UnsupportedOperationException("yarn needs the rotary base and dimension: use apply(frequencies, theta, dim)");
        }

        @Override
        public double[] apply(double[] inverseFrequencies, double theta, int rotaryDim) {
            double low = correctionDim(betaFast, rotaryDim, theta), high = correctionDim(betaSlow, rotaryDim, theta);
            if (truncate) {
                low = Math.floor(low);
                high = Math.ceil(high);
            }
            low = Math.max(low, 0);
            high = Math.min(high, rotaryDim - 1);
            if (low == high) high += 0.001;
            double[] out = new double[inverseFrequencies.length];
            for (int i = 0; i < out.length; i++) {
                double ramp = Math.clamp((i - low) / (high - low), 0, 1);
                double extrapolation = 1 - ramp;
                out[i] = inverseFrequencies[i] / factor * (1 - extrapolation) + inverseFrequencies[i] * extrapolation;
            }
            return out;
        }

        private double correctionDim(double rotations, int dim, double theta) {
            return dim * Math.log(originalMaxPositionEmbeddings / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
        }

        @Override
        public double attentionScaling() {
            if (!Double.isNaN(attentionFactor)) return attentionFactor;
            if (mscale != 0 && mscaleAllDim != 0) return yarnMscale(factor, mscale) / yarnMscale(factor, mscaleAllDim);
            return yarnMscale(factor, 1);
        }

        /** 0.1·m·ln(scale) + 1 for scale &gt; 1, else 1 (transformers' {@code get_mscale}). */
        public static double yarnMscale(double scale, double m) {
            return scale <= 1 ? 1 : 0.1 * m * Math.log(scale) + 1;
        }
    }
}
