package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code naive-quantized} format and its aliases {@code int-quantized} and {@code float-quantized}
 * (compressed-tensors {@code NaiveQuantizationCompressor}): {@code weight} is replaced by its quantized
 * values in the args' storage dtype (I8 for int up to 8 bits, I16 up to 16, F8_E4M3 for FP8), same
 * shape; block strategies quantize as if zero-padded to whole blocks. Scales, global scales, g_idx and
 * asymmetric zero points pass through in their dtype. Decompression is {@code dequantize}, which
 * returns the scale's dtype.
 *
 * @param format which of the three names this compressor writes
 */
public record NaiveQuantizedCompressor(CompressionFormat format) implements Compressor {
    public NaiveQuantizedCompressor {
        if (format != CompressionFormat.NAIVE_QUANTIZED && format != CompressionFormat.INT_QUANTIZED && format != CompressionFormat.FLOAT_QUANTIZED)
            throw new IllegalArgumentException("naive quantization writes naive-, int- or float-quantized, not " + format.value());
    }

    @Override
    public Map<String, Tensor> compress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        QuantizationArgs args = weightArgs(module, scheme);
        DType storage = args.storageDType().orElseThrow(() -> FormatException.parameter(module, ModuleState.WEIGHT,
                "FP4 weights are stored by nvfp4-pack-quantized or mxfp4-pack-quantized, not " + format.value()));
        Tensor weight = ModuleState.requireFloatWeight(module, state);
        Tensor scale = ModuleState.require(module, state, ModuleState.WEIGHT_SCALE, "quantized weights need their scales");
        Tensor q = QuantizeOps.quantize(weight, scale, state.get(ModuleState.WEIGHT_ZERO_POINT), args, storage,
                state.get(ModuleState.WEIGHT_G_IDX), state.get(ModuleState.WEIGHT_GLOBAL_SCALE));
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        out.put(ModuleState.WEIGHT, q);
        ModuleState.dropSymmetricZeroPoints(out, scheme);
        return out;
    }

    @Override
    public Map<String, Tensor> decompress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        QuantizationArgs args = weightArgs(module, scheme);
        Tensor q = ModuleState.require(module, state, ModuleState.WEIGHT, format.value() + " stores the quantized weight");
        Tensor scale = ModuleState.require(module, state, ModuleState.WEIGHT_SCALE, "dequantizing needs the weight scales");
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        out.put(ModuleState.WEIGHT, QuantizeOps.dequantize(q, scale, state.get(ModuleState.WEIGHT_ZERO_POINT), args, null,
                state.get(ModuleState.WEIGHT_G_IDX), state.get(ModuleState.WEIGHT_GLOBAL_SCALE)));
        return out;
    }

    static QuantizationArgs weightArgs(String module, QuantizationScheme scheme) {
        if (scheme.weights() == null)
            throw FormatException.parameter(module, ModuleState.WEIGHT, "the scheme (targets " + scheme.targets() + ") quantizes no weights");
        return scheme.weights();
    }
}
