package io.llmc4j.compress.quantization;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Bulk moves between tensors and {@code float[]} in row-major order, with one tight loop per dtype.
 * Every dtype the quantization math meets (F32, BF16, F16, FP8, integers up to 32 bits) is exactly
 * representable as a float, so {@link #read} loses nothing; {@link #write} converts with
 * {@link TorchArithmetic#cast}, exactly when the values already lie on the target grid. Stateless.
 */
public final class TensorValues {
    private TensorValues() {
    }

    /** All elements of {@code tensor} as floats, row-major. */
    public static float[] read(Tensor tensor) {
        Tensor t = tensor.contiguous();
        long count = t.elementCount();
        if (count > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor " + t + " is too large for a float[]");
        int n = (int) count;
        float[] out = new float[n];
        MemorySegment seg = t.segment();
        long base = t.byteOffset();
        switch (t.dtype()) {
            case F32 -> MemorySegment.copy(seg, Tensor.F32, base, out, 0, n);
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = FloatFormats.bf16ToFloat(seg.get(Tensor.I16, base + 2L * i));
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(seg.get(Tensor.I16, base + 2L * i));
            }
            case F8_E4M3 -> {
                for (int i = 0; i < n; i++) out[i] = FloatFormats.e4m3ToFloat(seg.get(Tensor.I8, base + i));
            }
            case I8 -> {
                for (int i = 0; i < n; i++) out[i] = seg.get(Tensor.I8, base + i);
            }
            case U8, BOOL -> {
                for (int i = 0; i < n; i++) out[i] = seg.get(Tensor.I8, base + i) & 0xFF;
            }
            case I32 -> {
                for (int i = 0; i < n; i++) out[i] = seg.get(Tensor.I32, base + 4L * i);
            }
            default -> {
                for (int i = 0; i < n; i++) out[i] = t.getFlat(i);
            }
        }
        return out;
    }

    /** A new contiguous heap tensor of {@code dtype} and {@code dims} holding {@code values}. */
    public static Tensor write(float[] values, DType dtype, long... dims) {
        Tensor out = Tensor.allocate(dtype, dims);
        if (out.elementCount() != values.length)
            throw new IllegalArgumentException(values.length + " values cannot fill " + dtype + out.shape());
        MemorySegment seg = out.segment();
        int n = values.length;
        switch (dtype) {
            case F32 -> MemorySegment.copy(values, 0, seg, Tensor.F32, 0, n);
            case BF16 -> {
                for (int i = 0; i < n; i++) seg.set(Tensor.I16, 2L * i, FloatFormats.floatToBf16(values[i]));
            }
            case F16 -> {
                for (int i = 0; i < n; i++) seg.set(Tensor.I16, 2L * i, Float.floatToFloat16(values[i]));
            }
            case F8_E4M3 -> {
                for (int i = 0; i < n; i++) seg.set(Tensor.I8, i, FloatFormats.floatToE4M3(values[i]));
            }
            case I8, U8 -> {
                for (int i = 0; i < n; i++) seg.set(Tensor.I8, i, (byte) (long) values[i]);
            }
            case I16 -> {
                for (int i = 0; i < n; i++) seg.set(Tensor.I16, 2L * i, (short) (long) values[i]);
            }
            case I32 -> {
                for (int i = 0; i < n; i++) seg.set(Tensor.I32, 4L * i, (int) (long) values[i]);
            }
            default -> {
                for (int i = 0; i < n; i++) out.setFlat(i, values[i]);
            }
        }
        return out;
    }

    /** The single value of a one-element tensor (a global scale), named {@code what} in errors. */
    public static float scalar(Tensor tensor, String what) {
        if (tensor.elementCount() != 1) throw new IllegalArgumentException(what + " must hold one value, found shape " + tensor.shape());
        return read(tensor)[0];
    }
}
