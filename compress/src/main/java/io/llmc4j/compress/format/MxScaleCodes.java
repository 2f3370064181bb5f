package io.llmc4j.compress.format;

import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * E8M0 storage of MX scales (compressed-tensors {@code compress_mx_scale} / {@code decompress_mx_scale}):
 * a scale 2^e is stored as the uint8 code {@code 127 + e}; decoding gives {@code 2^(code − 127)} as BF16
 * (code 0 is 2^−127, a BF16 subnormal; code 255 overflows to +inf, as in the library).
 *
 * <p>The library computes {@code floor(log2(scale))}; MX scales are exact powers of two, for which this
 * is the exponent taken here from the float's bits (exact also for subnormal scales). Stateless.
 */
final class MxScaleCodes {
    private MxScaleCodes() {
    }

    /** U8 codes of {@code scales} (positive powers of two, any float dtype), same shape. */
    static Tensor encode(String module, Tensor scales) {
        float[] s = TensorValues.read(scales);
        float[] codes = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            if (!(s[i] > 0) || Float.isInfinite(s[i]))
                throw FormatException.parameter(module, ModuleState.WEIGHT_SCALE, "MX scales must be positive and finite, found " + s[i] + " at index " + i);
            int code = 127 + floorLog2(s[i]);
            if (code < 0 || code > 255)
                throw FormatException.parameter(module, ModuleState.WEIGHT_SCALE, "MX scale " + s[i] + " at index " + i
                        + " is outside the E8M0 range 2^-127..2^128");
            codes[i] = code;
        }
        return TensorValues.write(codes, DType.U8, scales.shape().toArray());
    }

    /** BF16 scales 2^(code − 127) of U8 {@code codes}, same shape. */
    static Tensor decode(Tensor codes) {
        if (codes.dtype() != DType.U8) throw new IllegalArgumentException("MX scale codes must be U8, found " + codes.dtype());
        float[] c = TensorValues.read(codes);
        float[] out = new float[c.length];
        for (int i = 0; i < c.length; i++) out[i] = Math.scalb(1f, (int) c[i] - 127);
        return TensorValues.write(out, DType.BF16, codes.shape().toArray());
    }

    /** ⌊log2 x⌋ for positive finite x, subnormals included. */
    static int floorLog2(float x) {
        int bits = Float.floatToRawIntBits(x);
        int biased = bits >>> 23 & 0xFF;
        if (biased != 0) return biased - 127;
        return -149 + (31 - Integer.numberOfLeadingZeros(bits & 0x7FFFFF));
    }
}
