package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.Tensor;

/**
 * Quantization parameters for one tensor.
 *
 * @param scale scales, shaped by the strategy (see {@link QuantizationStrategy}); dtype of the observed
 *     values (F32 or BF16), or F32 when a global scale took part
 * @param zeroPoint zero points, same shape, dtype {@link QuantizationArgs#zpDtype()} (zeros when symmetric)
 * @param globalScale the F32 (1,) global scale of tensor_group args, else null
 */
public record QParams(Tensor scale, Tensor zeroPoint, Tensor globalScale) {
}
