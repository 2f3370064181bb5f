package io.llmc4j.compress.format;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a module's weights are stored in a compressed-tensors checkpoint (compressed-tensors
 * {@code CompressionFormat}), with the spelling {@code quantization_config} uses.
 *
 * <pre>
 *   dense                 weights as they are (activation-only or unquantized)
 *   naive-quantized       weight cast to its quantized dtype (int8/int16, FP8), any strategy
 *   int-quantized         naive, for int weights with quantized activations (W8A8)
 *   float-quantized       naive, for FP8 weights with quantized activations (FP8, FP8_DYNAMIC)
 *   pack-quantized        int 1..8-bit weights packed into int32 weight_packed (W4A16, W8A16)
 *   nvfp4-pack-quantized  FP4 E2M1 pairs in uint8 weight_packed, FP8 group scales, f32 global scale
 *   mxfp4-pack-quantized  FP4 E2M1 pairs in uint8 weight_packed, E8M0 uint8 group-32 scales
 *   mxfp8-quantized       FP8 weight, E8M0 uint8 group-32 scales
 *   mixed-precision       the top-level format when modules use several of the above
 * </pre>
 */
public enum CompressionFormat {
    DENSE("dense"),
    NAIVE_QUANTIZED("naive-quantized"),
    INT_QUANTIZED("int-quantized"),
    FLOAT_QUANTIZED("float-quantized"),
    PACK_QUANTIZED("pack-quantized"),
    NVFP4_PACK_QUANTIZED("nvfp4-pack-quantized"),
    MXFP4_PACK_QUANTIZED("mxfp4-pack-quantized"),
    MXFP8_QUANTIZED("mxfp8-quantized"),
    MIXED_PRECISION("mixed-precision");

    private final String value;

    CompressionFormat(String value) {
        this.value = value;
    }

    /** The name written in {@code quantization_config} ({@code pack-quantized}). */
    public String value() {
        return value;
    }

    /**
     * Parses a format name.
     *
     * @throws IllegalArgumentException listing the known names when {@code text} is none of them
     */
    public static CompressionFormat parse(String text) {
        for (CompressionFormat f : values()) {
            if (f.value.equals(text)) return f;
        }
        throw new IllegalArgumentException("unknown compression format '" + text + "', expected one of "
                + Arrays.stream(values()).map(CompressionFormat::value).collect(Collectors.joining(", ")));
    }
}
