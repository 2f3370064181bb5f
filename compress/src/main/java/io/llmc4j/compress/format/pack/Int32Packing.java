package io.llmc4j.compress.format.pack;

/**
 * Packs signed integers of 1..8 bits into int32 words, as compressed-tensors'
 * {@code pack_to_int32} / {@code unpack_from_int32} do for the {@code pack-quantized} format.
 *
 * <pre>
 *   value v (signed, in [−2^(b−1), 2^(b−1)−1])  →  u = v + 2^(b−1)   (unsigned, b bits)
 *   along the packed axis, element i occupies bits [i·b, i·b + b) of a little-endian bit stream
 *   made of int32 words, least significant bit first; a value may straddle two words (b = 3, 5, ...)
 *   words per line = ⌈n·b / 32⌉ (the reference pads to a multiple of 32 elements, then truncates)
 *
 *   b = 4, line [−8, −3, 1, 2, 5, −2, −5, −6] → u = [0, 5, 9, 10, 13, 6, 3, 2] → word 0x236DA950
 * </pre>
 *
 * <p>Packing along dim 1 (the default, {@code weight_packed}) packs each row; along dim 0 (asymmetric
 * zero points) it packs each column. Matrices are row-major {@code [rows, cols]} arrays; a 3-D tensor
 * packs as its flattened leading dims × last dim. Stateless.
 */
public final class Int32Packing {
    private Int32Packing() {
    }

    /** Words needed to pack {@code count} values of {@code bits} bits. */
    public static int wordsFor(long count, int bits) {
        checkBits(bits);
        return Math.toIntExact((Math.multiplyExact(count, (long) bits) + 31) / 32);
    }

    /**
     * Packs {@code values} [rows, cols] along {@code packedDim} (0 or 1). Returns [rows, ⌈cols·b/32⌉]
     * for dim 1 or [⌈rows·b/32⌉, cols] for dim 0, row-major.
     *
     * @throws IllegalArgumentException when a value is outside the signed b-bit range
     */
    public static int[] pack(byte[] values, int rows, int cols, int bits, int packedDim) {
        checkShape(values.length, rows, cols);
        checkBits(bits);
        if (packedDim == 1) {
            int words = wordsFor(cols, bits);
            int[] out = new int[Math.multiplyExact(rows, words)];
            for (int r = 0; r < rows; r++) packLine(values, r * cols, 1, cols, bits, out, r * words, 1);
            return out;
        }
        if (packedDim == 0) {
            int words = wordsFor(rows, bits);
            int[] out = new int[Math.multiplyExact(words, cols)];
            for (int c = 0; c < cols; c++) packLine(values, c, cols, rows, bits, out, c, cols);
            return out;
        }
        throw new IllegalArgumentException("packed_dim must be 0 or 1, got " + packedDim);
    }

    /** Inverse of {@link #pack}: unpacks to signed values [rows, cols] (the original shape). */
    public static byte[] unpack(int[] packed, int rows, int cols, int bits, int packedDim) {
        checkBits(bits);
        byte[] out = new byte[Math.multiplyExact(rows, cols)];
        if (packedDim == 1) {
            int words = wordsFor(cols, bits);
            checkShape(packed.length, rows, words);
            for (int r = 0; r < rows; r++) unpackLine(packed, r * words, 1, cols, bits, out, r * cols, 1);
        } else if (packedDim == 0) {
            int words = wordsFor(rows, bits);
            checkShape(packed.length, words, cols);
            for (int c = 0; c < cols; c++) unpackLine(packed, c, cols, rows, bits, out, c, cols);
        } else {
            throw new IllegalArgumentException("packed_dim must be 0 or 1, got " + packedDim);
        }
        return out;
    }

    private static void packLine(byte[] values, int from, int step, int count, int bits, int[] out, int at, int outStep) {
        int offset = 1 << (bits - 1);
        int mask = (1 << bits) - 1;
        for (int i = 0; i < count; i++) {
            int v = values[from + i * step];
            if (v < -offset || v >= offset)
                throw new IllegalArgumentException("value " + v + " at index " + i + " does not fit in " + bits + " signed bits");
            long unsigned = (v + offset) & mask;
            long bit = (long) i * bits;
            int word = (int) (bit >>> 5), shift = (int) (bit & 31);
            out[at + word * outStep] |= (int) (unsigned << shift);
            if (shift + bits > 32) out[at + (word + 1) * outStep] |= (int) (unsigned >>> (32 - shift));
        }
    }

    private static void unpackLine(int[] packed, int at, int step, int count, int bits, byte[] out, int from, int outStep) {
        int offset = 1 << (bits - 1);
        int mask = (1 << bits) - 1;
        for (int i = 0; i < count; i++) {
            long bit = (long) i * bits;
            int word = (int) (bit >>> 5), shift = (int) (bit & 31);
            long chunk = Integer.toUnsignedLong(packed[at + word * step]) >>> shift;
            if (shift + bits > 32) chunk |= Integer.toUnsignedLong(packed[at + (word + 1) * step]) << (32 - shift);
            out[from + i * outStep] = (byte) (((int) chunk & mask) - offset);
        }
    }

    private static void checkBits(int bits) {
        if (bits < 1 || bits > 8) throw new IllegalArgumentException("num_bits must be in 1..8 for int32 packing, got " + bits);
    }

    private static void checkShape(int length, int rows, int cols) {
        if ((long) rows * cols != length)
            throw new IllegalArgumentException(length + " values do not form a [" + rows + ", " + cols + "] matrix");
    }
}
