package io.llmc4j.engine.nn;

/**
 * How rotary inverse frequencies are adjusted for long contexts: Hugging Face's
 * {@code rope_scaling} ({@code rope_type} "default", "linear" or "llama3"; see
 * {@code transformers.modeling_rope_utils}). All three keep the attention scaling at 1.
 */
public sealed interface RopeScaling {

    /** The Hugging Face {@code rope_type} name. */
    String ropeType();

    /** Returns the adjusted copy of {@code inverseFrequencies} (radians per position, one per rotated pair). */
    double[] apply(double[] inverseFrequencies);

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
}
