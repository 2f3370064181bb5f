package io.llmc4j.compress.format.pack;

import io.llmc4j.compress.quantization.Fp4E2M1;
import io.llmc4j.compress.quantization.TensorValues;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Packs FP4 E2M1 values two per byte, as compressed-tensors' {@code pack_fp4_to_uint8} /
 * {@code unpack_fp4_from_uint8} do for the {@code nvfp4-pack-quantized} and
 * {@code mxfp4-pack-quantized} formats.
 *
 * <pre>
 *   code(x)  = index of the E2M1 magnitude nearest |x| in [0, 0.5, 1, 1.5, 2, 3, 4, 6] (first on a tie)
 *              | signbit(x) &lt;&lt; 3                      (so −0.0 is code 0x8, +0.0 is 0x0)
 *   byte j of a row = code(x[2j]) | code(x[2j+1]) &lt;&lt; 4  (element 0 in the low nibble)
 *
 *   row [0.5, −6, −0.0, 1] → codes [1, 0xF, 0x8, 2] → bytes [0xF1, 0x28]
 * </pre>
 *
 * Values [rows, cols] (cols even) ↔ bytes [rows, cols / 2]. Stateless.
 */
public final class Fp4Packing {
    private static final float[] MAGNITUDES = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f};

    private Fp4Packing() {
    }

    /**
     * Packs {@code values} (2-D, any float dtype, values on the FP4 grid) into U8 [rows, cols / 2].
     *
     * @throws IllegalArgumentException when the tensor is not 2-D with an even number of columns
     */
    public static Tensor pack(Tensor values) {
        if (values.rank() != 2 || values.dim(1) % 2 != 0)
            throw new IllegalArgumentException("FP4 packing needs a 2-D tensor with an even number of columns, found " + values.shape());
        float[] v = TensorValues.read(values);
        long rows = values.dim(0), cols = values.dim(1);
        Tensor out = Tensor.allocate(DType.U8, rows, cols / 2);
        for (int i = 0; i < v.length; i += 2) {
            int lo = code(v[i]), hi = code(v[i + 1]);
            out.segment().set(Tensor.I8, i / 2, (byte) (lo | hi << 4));
        }
        return out;
    }

    /** Unpacks U8 [rows, n] into [rows, 2n] FP4 values of {@code dtype} (the library's default is BF16). */
    public static Tensor unpack(Tensor packed, DType dtype) {
        if (packed.dtype() != DType.U8 || packed.rank() != 2)
            throw new IllegalArgumentException("FP4 unpacking needs a 2-D U8 tensor, found " + packed.dtype() + packed.shape());
        Tensor bytes = packed.contiguous();
        int n = Math.toIntExact(bytes.elementCount());
        float[] out = new float[Math.multiplyExact(n, 2)];
        for (int i = 0; i < n; i++) {
            int b = bytes.segment().get(Tensor.I8, bytes.byteOffset() + i) & 0xFF;
            out[2 * i] = Fp4E2M1.decode(b & 0xF);
            out[2 * i + 1] = Fp4E2M1.decode(b >>> 4);
        }
        return TensorValues.write(out, dtype, packed.dim(0), packed.dim(1) * 2);
    }

    /** The 4-bit code of {@code x}: nearest magnitude (first on a tie) and the sign bit. */
    public static int code(float x) {
        if (Float.isNaN(x)) throw new IllegalArgumentException("cannot pack NaN as FP4");
        float a = Math.abs(x);
        int best = 0;
        for (int i = 1; i < MAGNITUDES.length; i++) {
            if (Math.abs(a - MAGNITUDES[i]) < Math.abs(a - MAGNITUDES[best])) best = i;
        }
        return best | (Float.floatToRawIntBits(x) >>> 31) << 3;
    }
}
