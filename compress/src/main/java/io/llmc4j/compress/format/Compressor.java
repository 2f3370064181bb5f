package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Map;

/**
 * Turns one quantized module's state into the tensors a compressed-tensors checkpoint stores for it,
 * and back (compressed-tensors {@code BaseCompressor.compress} / {@code decompress} on a per-module
 * state dict). States use local names ({@code weight}, {@code weight_scale}, {@code input_scale}, ...);
 * the caller adds the module prefix.
 *
 * <p>{@link #compress}: from the calibrated state (the original float {@code weight} plus its qparams)
 * to the stored state; parameters the format does not touch (bias, activation scales) pass through as
 * they are, and zero points of symmetric roles are dropped. {@link #decompress}: from the stored state
 * to a float {@code weight} (dtype as the library returns it) plus the qparams. Neither modifies its
 * input map or tensors; results are new maps (insertion-ordered) whose new tensors are heap-backed.
 * Implementations are stateless and thread-safe.
 */
public sealed interface Compressor
        permits DenseCompressor, NaiveQuantizedCompressor, PackQuantizedCompressor, Fp4PackQuantizedCompressor, Mxfp8QuantizedCompressor {

    /** The format this compressor writes. */
    CompressionFormat format();

    /**
     * The stored state of module {@code module} (named in errors).
     *
     * @throws FormatException naming the module and parameter when a needed parameter is missing or
     *                         does not fit the scheme
     */
    Map<String, Tensor> compress(String module, Map<String, Tensor> state, QuantizationScheme scheme);

    /** The decompressed state of module {@code module}, with a float {@code weight}. */
    Map<String, Tensor> decompress(String module, Map<String, Tensor> state, QuantizationScheme scheme);

    /** The compressor of {@code format}. */
    static Compressor of(CompressionFormat format) {
        return switch (format) {
            case DENSE -> new DenseCompressor();
            case NAIVE_QUANTIZED, INT_QUANTIZED, FLOAT_QUANTIZED -> new NaiveQuantizedCompressor(format);
            case PACK_QUANTIZED -> new PackQuantizedCompressor();
            case NVFP4_PACK_QUANTIZED -> new Fp4PackQuantizedCompressor(false);
            case MXFP4_PACK_QUANTIZED -> new Fp4PackQuantizedCompressor(true);
            case MXFP8_QUANTIZED -> new Mxfp8QuantizedCompressor();
            case MIXED_PRECISION -> throw new IllegalArgumentException("mixed-precision is a summary of several formats; "
                    + "each module is compressed with its own");
        };
    }
}
