package io.llmc4j.compress.oneshot;

import io.llmc4j.compress.quantization.WeightError;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import io.llmc4j.engine.tensor.Tensor;

/** The relative error a module's weight quantization introduces, ‖W − fq(W)‖ / ‖W‖ (double accumulation). */
final class QuantizationError {
    private QuantizationError() {
    }

    static double relativeWeightError(QuantizedModule target) {
        Tensor fakeQuantized = target.fakeQuantizedWeight();
        if (fakeQuantized == null) return 0;
        return WeightError.relative(target.module().parameter("weight").toFloatArray(), fakeQuantized.toFloatArray());
    }
}
