package io.llmc4j.engine.ops.convert;

import java.util.Arrays;

/**
 * Inputs that exercise a narrow float format's rounding: every representable value and every
 * midpoint between neighbours (including the one above the largest finite value, where saturation
 * or overflow starts), each exactly and 1 and 2 ulps either side, with both signs; plus zeros,
 * float subnormals, the largest floats, infinities and NaNs with assorted payloads and signs.
 */
final class BoundaryFloats {
    /** NaN bit patterns: quiet and signalling, both signs, payload bits high, low and everywhere. */
    static final int[] NAN_BITS = {0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFF80_0001, 0x7FA0_0000, 0x7F80_1000, 0x7F80_2000,
        0x7F80_0FFF, 0x7FC0_0001, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x7FBF_FFFF, 0xFF80_0010, 0x7FD5_5555, 0xFFAA_AAAA};

    private BoundaryFloats() {
    }

    /** Boundary inputs for a format whose non-negative finite values, ascending from 0, are {@code values}. */
    static float[] around(float[] values) {
        FloatList out = new FloatList();
        int n = values.length;
        float step = values[n - 1] - values[n - 2];
        for (int i = 0; i < n; i++) {
            float upper = i + 1 < n ? values[i + 1] : values[n - 1] + step;   // past the top: where rounding leaves the range
            addWithNeighbours(out, values[i]);
            addWithNeighbours(out, (float) (((double) values[i] + upper) / 2));
            if (i + 1 == n) addWithNeighbours(out, upper);
        }
        for (int bits : new int[] {1, 2, 3, 0x3FF, 0x40_0000, 0x7F_FFFF, 0x80_0000, 0x7F7F_FFFF, 0x7F80_0000}) out.add(Float.intBitsToFloat(bits));
        for (float big : new float[] {1e4f, 1e5f, 65504f, 65519.996f, 65520f, 65536f, 1e30f}) out.add(big);
        int positives = out.size();
        for (int i = 0; i < positives; i++) out.add(-out.get(i));
        for (int bits : NAN_BITS) out.add(Float.intBitsToFloat(bits));
        return out.toArray();
    }

    /** The non-negative finite values of the codes {@code 0 .. codeCount-1}, decoded, NaN and infinity skipped. */
    static float[] finiteValues(int codeCount, java.util.function.IntFunction<Float> decode) {
        FloatList out = new FloatList();
        for (int code = 0; code < codeCount; code++) {
            float value = decode.apply(code);
            if (Float.isFinite(value)) out.add(value);
        }
        return out.toArray();
    }

    private static void addWithNeighbours(FloatList out, float value) {
        float down1 = Math.nextDown(value), up1 = Math.nextUp(value);
        out.add(Math.nextDown(down1));
        out.add(down1);
        out.add(value);
        out.add(up1);
        out.add(Math.nextUp(up1));
    }

    /** A growable float array (boxing a million floats would dominate the test's time). */
    private static final class FloatList {
        private float[] values = new float[1024];
        private int size;

        void add(float value) {
            if (size == values.length) values = Arrays.copyOf(values, 2 * size);
            values[size++] = value;
        }

        float get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
