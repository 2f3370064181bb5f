package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;

/**
 * Scalar rules that make float32 Java arithmetic give the bits torch gives for a tensor of a given dtype.
 *
 * <p>torch evaluates an elementwise op on a bf16 or f16 tensor in float32 ("opmath") and rounds the
 * result to the tensor's dtype (round to nearest even). So an op on dtype D is emulated as a Java
 * {@code float} op (one IEEE f32 rounding) followed by {@link #round}. Python scalars taking part are
 * first cast to float32. Type promotion between two dimensioned float tensors follows {@link #promote}.
 * Stateless and thread-safe.
 */
public final class TorchArithmetic {
    private TorchArithmetic() {
    }

    /** True for the dtypes the quantization math computes in: F32, BF16 and F16. */
    public static boolean isComputeType(DType dtype) {
        return dtype == DType.F32 || dtype == DType.BF16 || dtype == DType.F16;
    }

    /** Throws naming {@code what} unless {@code dtype} is a compute type. */
    public static void requireComputeType(DType dtype, String what) {
        if (!isComputeType(dtype))
            throw new IllegalArgumentException(what + " must be F32, BF16 or F16, found " + dtype);
    }

    /** {@code value} (an exact f32 result) rounded to {@code dtype}: identity for F32, RNE for BF16/F16. */
    public static float round(DType dtype, float value) {
        return switch (dtype) {
            case BF16 -> FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(value));
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(value));
            default -> value;
        };
    }

    /** torch's result dtype for a binary op on two dimensioned tensors of these dtypes. */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        boolean af = a.isFloatingPoint(), bf = b.isFloatingPoint();
        if (af && !bf) return a;
        if (bf && !af) return b;
        if (a == DType.F64 || b == DType.F64) return DType.F64;
        if (a == DType.F32 || b == DType.F32) return DType.F32;
        return DType.F32;
    }

    /**
     * {@code value} converted by {@code .to(dtype)}: float dtypes round to nearest even (FP8 saturating;
     * callers clamp first, as the library does), integer dtypes truncate toward zero and wrap.
     */
    public static float cast(DType dtype, float value) {
        return switch (dtype) {
            case F32, F64 -> value;
            case BF16, F16 -> round(dtype, value);
            case F8_E4M3 -> FloatFormats.roundToE4M3(value);
            case F8_E5M2 -> FloatFormats.e5m2ToFloat(FloatFormats.floatToE5M2(value));
            case I8 -> (byte) (long) value;
            case U8 -> (float) ((long) value & 0xFF);
            case I16 -> (short) (long) value;
            case I32 -> (int) (long) value;
            case I64 -> (float) (long) value;
            case BOOL -> value != 0 ? 1f : 0f;
        };
    }

    /** {@code torch.finfo(dtype).eps} for float dtypes (0.125 for FP8 E4M3), 1 for integer dtypes. */
    public static float eps(DType dtype) {
        return switch (dtype) {
            case F64 -> (float) Math.ulp(1.0);
            case F32 -> Math.ulp(1f);
            case BF16 -> 0x1p-7f;
            case F16 -> 0x1p-10f;
            case F8_E4M3 -> 0.125f;
            case F8_E5M2 -> 0.25f;
            default -> 1f;
        };
    }

    /** {@code torch.finfo(dtype).max} or {@code torch.iinfo(dtype).max}, as a double. */
    public static double maxValue(DType dtype) {
        return switch (dtype) {
            case F64 -> Double.MAX_VALUE;
            case F32 -> Float.MAX_VALUE;
            case BF16 -> 0x1.FEp127;
            case F16 -> 65504;
            case F8_E4M3 -> FloatFormats.E4M3_MAX;
            case F8_E5M2 -> FloatFormats.E5M2_MAX;
            case I64 -> Long.MAX_VALUE;
            case I32 -> Integer.MAX_VALUE;
            case I16 -> Short.MAX_VALUE;
            case I8 -> Byte.MAX_VALUE;
            case U8 -> 255;
            case BOOL -> 1;
        };
    }

    /** {@code torch.finfo(dtype).min} or {@code torch.iinfo(dtype).min}, as a double. */
    public static double minValue(DType dtype) {
        return switch (dtype) {
            case U8, BOOL -> 0;
            case I64 -> Long.MIN_VALUE;
            case I32 -> Integer.MIN_VALUE;
            case I16 -> Short.MIN_VALUE;
            case I8 -> Byte.MIN_VALUE;
            default -> -maxValue(dtype);
        };
    }

    /** {@code torch.clamp(value, lo, hi)}: NaN stays NaN. */
    public static float clamp(float value, float lo, float hi) {
        if (value < lo) return lo;
        if (value > hi) return hi;
        return value;
    }
}
