package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationType;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code mxfp8-quantized} format (compressed-tensors {@code MXFP8QuantizationCompressor}): the
 * weight as in {@code naive-quantized} (F8_E4M3, same shape), the group-32 power-of-two scales as U8
 * E8M0 codes ({@link MxScaleCodes}). Decompression turns the codes into BF16 scales and dequantizes,
 * which gives BF16. Stateless.
 */
public record Mxfp8QuantizedCompressor() implements Compressor {
    private static final NaiveQuantizedCompressor NAIVE = new NaiveQuantizedCompressor(CompressionFormat.NAIVE_QUANTIZED);

    @Override
    public CompressionFormat format() {
        return CompressionFormat.MXFP8_QUANTIZED;
    }

    @Override
    public Map<String, Tensor> compress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        checkArgs(module, scheme);
        Map<String, Tensor> out = NAIVE.compress(module, state, scheme);
        out.put(ModuleState.WEIGHT_SCALE, MxScaleCodes.encode(module, out.get(ModuleState.WEIGHT_SCALE)));
        return out;
    }

    @Override
    public Map<String, Tensor> decompress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        checkArgs(module, scheme);
        Tensor codes = ModuleState.require(module, state, ModuleState.WEIGHT_SCALE, "dequantizing needs the weight scales");
        if (codes.dtype() != DType.U8)
            throw FormatException.parameter(module, ModuleState.WEIGHT_SCALE, "mxfp8-quantized stores U8 E8M0 scale codes, found " + codes.dtype());
        Map<String, Tensor> withScales = new LinkedHashMap<>(state);
        withScales.put(ModuleState.WEIGHT_SCALE, MxScaleCodes.decode(codes));
        return NAIVE.decompress(module, withScales, scheme);
    }

    private static void checkArgs(String module, QuantizationScheme scheme) {
        var args = NaiveQuantizedCompressor.weightArgs(module, scheme);
        if (args.type() != QuantizationType.FLOAT || args.numBits() != 8)
            throw FormatException.parameter(module, ModuleState.WEIGHT, "mxfp8-quantized stores FP8 weights, the scheme has "
                    + args.type().value() + " " + args.numBits() + " bits");
    }
}
