package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationType;
import io.llmc4j.engine.tensor.DType;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Chooses the compression format of a quantized Linear from its scheme, in the priority order of
 * compressed-tensors 0.18.1 (the first rule that matches wins), and summarises a model's formats.
 *
 * <pre>
 *   scheme.format set                                 → that format (the library warns and obeys)
 *   no weight args                                    → dense
 *   FP4 weights, group_size 32                        → mxfp4-pack-quantized
 *   FP8 weights, group_size 32, uint8 scales          → mxfp8-quantized
 *   FP4 weights (any other grouping)                  → nvfp4-pack-quantized
 *   int weights of 1..8 bits, no input activations    → pack-quantized   (W2A16, W3A16, W4A16, W8A16)
 *   int weights, input activations                    → int-quantized    (W8A8, W4A8)
 *   float weights, input activations                  → float-quantized  (FP8, FP8_DYNAMIC)
 *   anything else                                     → naive-quantized  (FP8 weight-only, int16)
 * </pre>
 *
 * The golden vectors of the library confirm W2A16/W4A16/W8A16 → pack-quantized, W8A8 →
 * int-quantized, FP8 static → float-quantized, FP8 weight-only → naive-quantized, NVFP4(A16) →
 * nvfp4-pack-quantized and MXFP4A16 → mxfp4-pack-quantized. Stateless.
 */
public final class FormatInference {
    private FormatInference() {
    }

    /** The format of modules quantized with {@code scheme}: its explicit {@code format}, else inferred. */
    public static CompressionFormat forScheme(QuantizationScheme scheme) {
        if (scheme.format() != null) {
            CompressionFormat explicit = CompressionFormat.parse(scheme.format());
            if (explicit == CompressionFormat.MIXED_PRECISION)
                throw new FormatException("a scheme cannot use format mixed-precision (targets " + scheme.targets() + ")");
            return explicit;
        }
        return infer(scheme);
    }

    /** The format the library's priority list picks for {@code scheme}, ignoring its {@code format}. */
    public static CompressionFormat infer(QuantizationScheme scheme) {
        QuantizationArgs w = scheme.weights();
        if (w == null) return CompressionFormat.DENSE;
        boolean grouped32 = w.groupSize() != null && w.groupSize() == 32;
        if (w.isFp4() && grouped32) return CompressionFormat.MXFP4_PACK_QUANTIZED;
        if (w.type() == QuantizationType.FLOAT && w.numBits() == 8 && grouped32 && w.scaleDtype() == DType.U8)
            return CompressionFormat.MXFP8_QUANTIZED;
        if (w.isFp4()) return CompressionFormat.NVFP4_PACK_QUANTIZED;
        boolean activations = scheme.inputActivations() != null;
        if (w.type() == QuantizationType.INT && w.numBits() >= 1 && w.numBits() <= 8 && !activations)
            return CompressionFormat.PACK_QUANTIZED;
        if (activations && w.type() == QuantizationType.INT) return CompressionFormat.INT_QUANTIZED;
        if (activations && w.type() == QuantizationType.FLOAT) return CompressionFormat.FLOAT_QUANTIZED;
        return CompressionFormat.NAIVE_QUANTIZED;
    }

    /**
     * The top-level {@code format} of a model whose modules use {@code formats}: dense when none is
     * quantized, the single format when all agree, else mixed-precision. Dense modules do not count.
     */
    public static CompressionFormat summarize(Collection<CompressionFormat> formats) {
        Set<CompressionFormat> quantized = formats.isEmpty() ? EnumSet.noneOf(CompressionFormat.class) : EnumSet.copyOf(formats);
        quantized.remove(CompressionFormat.DENSE);
        if (quantized.contains(CompressionFormat.MIXED_PRECISION))
            throw new IllegalArgumentException("mixed-precision is a summary, not a module format: " + formats);
        if (quantized.isEmpty()) return CompressionFormat.DENSE;
        if (quantized.size() == 1) return quantized.iterator().next();
        return CompressionFormat.MIXED_PRECISION;
    }
}
