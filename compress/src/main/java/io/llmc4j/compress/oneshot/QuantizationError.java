package io.llmc4j.compress.oneshot;

import io.llmc4j.compress.observers.ObservedRole;
import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import io.llmc4j.engine.tensor.Tensor;

/** The relative error a module's weight quantization introduces, ‖W − fq(W)‖ / ‖W‖ (double accumulation). */
final class QuantizationError {
    private QuantizationError() {
    }

    static double relativeWeightError(QuantizedModule target) {
        QParams qparams = target.qparams(ObservedRole.WEIGHT);
        if (qparams == null || target.scheme().weights() == null) return 0;
        Tensor weight = target.module().parameter("weight");
        Tensor fakeQuantized = QuantizeOps.fakeQuantize(weight, qparams.scale(), qparams.zeroPoint(), target.scheme().weights(),
                target.module().parameter("weight_g_idx"), qparams.globalScale());
        float[] w = weight.toFloatArray(), q = fakeQuantized.toFloatArray();
        double difference = 0, norm = 0;
        for (int i = 0; i < w.length; i++) {
            double d = (double) w[i] - q[i];
            difference += d * d;
            norm += (double) w[i] * w[i];
        }
        return norm == 0 ? 0 : Math.sqrt(difference / norm);
    }
}
