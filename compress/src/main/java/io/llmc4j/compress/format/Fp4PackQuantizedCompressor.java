package io.llmc4j.compress.format;

import io.llmc4j.compress.format.pack.Fp4Packing;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizeOps;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The FP4 formats (compressed-tensors {@code NVFP4PackedCompressor} and {@code MXFP4PackedCompressor}):
 *
 * <pre>
 *   weight [rows, cols]  ──quantize (FP4 values)──►  {@link Fp4Packing}  ──►  weight_packed U8 [rows, cols/2]
 *   nvfp4-pack-quantized: weight_scale cast to the args' scale_dtype (F8_E4M3), weight_global_scale F32 (1,) kept
 *   mxfp4-pack-quantized: weight_scale as E8M0 codes U8 ({@link MxScaleCodes})
 *   weight_zero_point dropped (FP4 is symmetric); input_global_scale and other activation params kept
 * </pre>
 *
 * Decompression always yields BF16, as the library's {@code unpack_fp4_from_uint8} default does: the
 * codes are unpacked to BF16, the scale is converted to BF16 (FP8 → BF16, or 2^(code−127) in BF16) and
 * {@code dequantize} (dividing by the global scale first) is cast to BF16. Stateless.
 *
 * @param mx true for {@code mxfp4-pack-quantized}, false for {@code nvfp4-pack-quantized}
 */
public record Fp4PackQuantizedCompressor(boolean mx) implements Compressor {
    @Override
    public CompressionFormat format() {
        return mx ? CompressionFormat.MXFP4_PACK_QUANTIZED : CompressionFormat.NVFP4_PACK_QUANTIZED;
    }

    @Override
    public Map<String, Tensor> compress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        QuantizationArgs args = fp4Args(module, scheme);
        Tensor weight = ModuleState.requireFloatWeight(module, state);
        if (weight.dim(1) % 2 != 0)
            throw FormatException.parameter(module, ModuleState.WEIGHT, "FP4 packing needs an even number of columns, found " + weight.shape());
        Tensor scale = ModuleState.require(module, state, ModuleState.WEIGHT_SCALE, "quantized weights need their scales");
        Tensor q = QuantizeOps.quantize(weight, scale, state.get(ModuleState.WEIGHT_ZERO_POINT), args, null, null,
                state.get(ModuleState.WEIGHT_GLOBAL_SCALE));
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        out.remove(ModuleState.WEIGHT);
        out.put(ModuleState.WEIGHT_PACKED, Fp4Packing.pack(q));
        out.put(ModuleState.WEIGHT_SCALE, compressScale(module, scale, args));
        ModuleState.dropSymmetricZeroPoints(out, scheme);
        return out;
    }

    @Override
    public Map<String, Tensor> decompress(String module, Map<String, Tensor> state, QuantizationScheme scheme) {
        QuantizationArgs args = fp4Args(module, scheme);
        Tensor packed = ModuleState.require(module, state, ModuleState.WEIGHT_PACKED, format().value() + " stores the packed weight");
        Tensor scale = ModuleState.require(module, state, ModuleState.WEIGHT_SCALE, "dequantizing needs the weight scales");
        if (packed.dtype() != DType.U8 || packed.rank() != 2)
            throw FormatException.parameter(module, ModuleState.WEIGHT_PACKED, "expected U8 [rows, cols/2], found " + packed.dtype() + packed.shape());
        Tensor values = Fp4Packing.unpack(packed, DType.BF16);
        Tensor scaleFloat = mx ? MxScaleCodes.decode(requireU8(module, scale)) : TensorValues.write(TensorValues.read(scale), DType.BF16, scale.shape().toArray());
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        out.remove(ModuleState.WEIGHT_PACKED);
        out.put(ModuleState.WEIGHT, QuantizeOps.dequantize(values, scaleFloat, null, args, DType.BF16, null,
                mx ? null : state.get(ModuleState.WEIGHT_GLOBAL_SCALE)));
        out.put(ModuleState.WEIGHT_SCALE, scaleFloat);
        return out;
    }

    private Tensor compressScale(String module, Tensor scale, QuantizationArgs args) {
        if (mx) return MxScaleCodes.encode(module, scale);
        if (args.scaleDtype() == null)
            throw FormatException.parameter(module, ModuleState.WEIGHT_SCALE, "nvfp4-pack-quantized casts scales to the args' scale_dtype, which is not set");
        return TensorValues.write(TensorValues.read(scale), args.scaleDtype(), scale.shape().toArray());
    }

    private static Tensor requireU8(String module, Tensor scale) {
        if (scale.dtype() != DType.U8)
            throw FormatException.parameter(module, ModuleState.WEIGHT_SCALE, "mxfp4-pack-quantized stores U8 E8M0 scale codes, found " + scale.dtype());
        return scale;
    }

    private QuantizationArgs fp4Args(String module, QuantizationScheme scheme) {
        QuantizationArgs args = NaiveQuantizedCompressor.weightArgs(module, scheme);
        if (!args.isFp4())
            throw FormatException.parameter(module, ModuleState.WEIGHT, format().value() + " stores FP4 weights, the scheme has "
                    + args.type().value() + " " + args.numBits() + " bits");
        return args;
    }
}
