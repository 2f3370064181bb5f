package io.llmc4j.compress.quantization.gptq;

import io.llmc4j.compress.quantization.QParams;
import io.llmc4j.engine.tensor.Tensor;

/**
 * What {@link Gptq#quantize} returns (LLM Compressor's {@code quantize_weight}): the fake-quantized
 * weight in the original dtype and layout, the qparams it lies on (scale in the weight's dtype), the
 * int32 {@code weight_g_idx} for actorder {@code group} (else null), GPTQ's loss
 * {@code Σ (w − q)² / (2·d²)} over the column loop, and whether the Hessian could be inverted (when
 * not, the loop ran with an identity inverse: round-to-nearest with the same qparams), and the
 * relative error {@code ‖W − Q‖ / ‖W‖} against the original weight.
 */
public record GptqResult(Tensor weight, QParams qparams, Tensor gIdx, double loss, boolean inverted, double relativeWeightError) {
}
