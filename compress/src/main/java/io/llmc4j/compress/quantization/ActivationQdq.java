package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.Tensor;
import java.util.Objects;

/**
 * Fake quantization of an activation as a serving engine applies it (compressed-tensors
 * {@code forward_quantize} on a frozen module):
 *
 * <ul>
 *   <li>dynamic ({@code dynamic: true}): scales and zero points from the tensor itself
 *       ({@link DynamicQParams}: per token, per tensor or per group), then {@code fake_quantize};
 *   <li>dynamic "local" (NVFP4 activations): per-group scales from the tensor under the stored
 *       global scale;
 *   <li>static: the stored scale, zero point (null when symmetric) and global scale.
 * </ul>
 *
 * Empty tensors pass through. Immutable and thread-safe.
 *
 * @param args        the activation args
 * @param scale       stored scale (static), else null
 * @param zeroPoint   stored zero point (static asymmetric), else null
 * @param globalScale stored global scale (tensor_group), else null
 */
public record ActivationQdq(QuantizationArgs args, Tensor scale, Tensor zeroPoint, Tensor globalScale) {
    public ActivationQdq {
        Objects.requireNonNull(args, "args");
        if (args.dynamic() == DynamicMode.STATIC && scale == null)
            throw new IllegalArgumentException("static activation quantization needs a stored scale");
        if (args.dynamic() == DynamicMode.LOCAL && globalScale == null)
            throw new IllegalArgumentException("dynamic local activation quantization needs a stored global scale");
    }

    /** {@code x} quantized and dequantized (a new tensor; x is not modified). */
    public Tensor apply(Tensor x) {
        if (x.elementCount() == 0) return x;
        if (args.dynamic() == DynamicMode.STATIC) return QuantizeOps.fakeQuantize(x, scale, zeroPoint, args, null, globalScale);
        QParams qp = DynamicQParams.compute(x, args, args.dynamic() == DynamicMode.LOCAL ? globalScale : null);
        return QuantizeOps.fakeQuantize(x, qp.scale(), qp.zeroPoint(), args, null, qp.globalScale() != null ? qp.globalScale() : globalScale);
    }
}
