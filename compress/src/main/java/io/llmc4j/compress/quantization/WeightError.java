package io.llmc4j.compress.quantization;

/** The relative error of a quantized weight, ‖W − Q‖ / ‖W‖ (double accumulation; 0 for an all-zero W). Stateless. */
public final class WeightError {
    private WeightError() {
    }

    public static double relative(float[] w, float[] q) {
        if (w.length != q.length) throw new IllegalArgumentException(w.length + " weights against " + q.length + " quantized values");
        double difference = 0, norm = 0;
        for (int i = 0; i < w.length; i++) {
            double d = (double) w[i] - q[i];
            difference += d * d;
            norm += (double) w[i] * w[i];
        }
        return norm == 0 ? 0 : Math.sqrt(difference / norm);
    }
}
