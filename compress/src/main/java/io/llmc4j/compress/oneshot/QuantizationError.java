package io.llmc4j.compress.oneshot;

import io.llmc4j.compress.quantization.WeightError;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import io.llmc4j.engine.tensor.MappedPages;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The relative error a module's weight quantization introduces, ‖W − fq(W)‖ / ‖W‖ (double
 * accumulation). A mapped weight's pages are released after it is read.
 */
final class QuantizationError {
    private QuantizationError() {
    }

    static double relativeWeightError(QuantizedModule target) {
        Tensor fakeQuantized = target.fakeQuantizedWeight();
        if (fakeQuantized == null) return 0;
        Tensor weight = target.module().parameter("weight");
        float[] w = weight.toFloatArray(), q = fakeQuantized.toFloatArray();
        MappedPages.release(weight);
        return WeightError.relative(w, q);
    }
}
