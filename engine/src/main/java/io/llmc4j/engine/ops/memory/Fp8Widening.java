package io.llmc4j.engine.ops.memory;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * FP8 (E4M3FN, E5M2) codes ↔ float on Java arrays with the Vector API, bit-identical to
 * {@link FloatFormats} element by element. Stateless, thread-safe.
 *
 * <p>Bit layouts (sign, exponent, mantissa; bias):
 * <pre>
 *   E4M3FN  s eeee mmm   bias 7    no infinities; s 1111 111 is NaN; max 448 = 0 1111 110
 *   E5M2    s eeeee mm   bias 15   IEEE-like: s 11111 00 is ±inf, s 11111 (01|10|11) NaN; max 57344
 *   float   s eeeeeeee mmmmmmmmmmmmmmmmmmmmmmm   bias 127
 * </pre>
 *
 * <p><b>Widening</b> shifts the code's exponent and mantissa into a float's place (left by 20 for
 * E4M3, 21 for E5M2); the result reads as a float 2^(127 − bias) times too small, and one
 * multiplication by that power of two fixes normals and subnormals alike (both exact). The sign
 * bit is or-ed back. Codes whose exponent field is all ones become what {@code FloatFormats} gives:
 * the canonical {@code Float.NaN} (positive, whatever the code's sign) or, for E5M2, ±infinity.
 *
 * <p><b>Narrowing</b> rounds the magnitude to nearest, ties to even, then or-s the sign in:
 * <ul>
 *   <li>normal range (|x| ≥ 2^(1 − bias)): integer rounding of the float bits to the code's mantissa
 *       width, {@code (bits + half − 1 + lsb) >>> (23 − m)}, minus the exponent re-bias
 *       {@code (127 − bias) << m}; a carry out of the mantissa steps into the next binade;</li>
 *   <li>subnormal range: |x| + 2^(1 − bias − m + 23) in float arithmetic, whose unit in the last
 *       place is exactly the subnormal step 2^(1 − bias − m), so the addition itself rounds half to
 *       even; the sum's bits minus the constant's bits count the steps (the count 2^m is the
 *       smallest normal code, as it should be);</li>
 *   <li>|x| ≥ max (including ±infinity) saturates to the max code, NaN becomes {@code s 1111111}.</li>
 * </ul>
 */
public final class Fp8Widening {
    private static final VectorSpecies<Float> FLOATS = Widening.SPECIES;
    private static final int LANES = Widening.LANES;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * Byte.SIZE));
    private static final int NAN_BITS = Float.floatToRawIntBits(Float.NaN);
    private static final int INFINITY_BITS = 0x7F80_0000;
    private static final Format E4M3 = Format.of(3, 7, FloatFormats.E4M3_MAX, 0x7E, 0x80, 0x7F);
    private static final Format E5M2 = Format.of(2, 15, FloatFormats.E5M2_MAX, 0x7B, 0x7C, 0x7D);

    /**
     * The constants of one FP8 format, all derived from its mantissa width m and bias. Both formats
     * share one vector loop per direction, with these as loop-invariant operands: two copies of
     * the loop in one compiled method exhaust C2's inlining budget (NodeCountInliningCutoff), which
     * leaves the second format's vector calls out of line (measured 7× slower for whichever format
     * ran second).
     *
     * @param shift        23 − m: from a code's exponent and mantissa to a float's, and back
     * @param widenScale   2^(127 − bias): the shifted code, read as a float, times this is its value
     * @param halfMinusOne 2^(shift − 1) − 1: with the kept lsb added, rounds float bits half to even at {@code shift}
     * @param rebias       (127 − bias) &lt;&lt; m: subtracted from float bits shifted right by {@code shift}
     * @param minNormalBits float bits of the smallest normal value 2^(1 − bias)
     * @param subnormalStep 2^(1 − bias − m + 23), a float whose ulp is the subnormal step 2^(1 − bias − m)
     * @param subnormalStepBits its float bits
     * @param maxBits      float bits of the largest finite value (448, 57344), where saturation starts
     * @param maxCode      the code of the largest finite magnitude
     * @param infinityCode the magnitude code of infinity ({@code 0x80}, never matched, for E4M3FN)
     * @param firstNanCode the smallest magnitude code that is NaN
     */
    private record Format(int shift, float widenScale, int halfMinusOne, int rebias, int minNormalBits, float subnormalStep,
                          int subnormalStepBits, int maxBits, int maxCode, int infinityCode, int firstNanCode) {
        static Format of(int mantissaBits, int bias, float max, int maxCode, int infinityCode, int firstNanCode) {
            int shift = 23 - mantissaBits;
            float step = Math.scalb(1f, 1 - bias - mantissaBits + 23);
            return new Format(shift, Math.scalb(1f, 127 - bias), (1 << (shift - 1)) - 1, (127 - bias) << mantissaBits,
                    Float.floatToRawIntBits(Math.scalb(1f, 1 - bias)), step, Float.floatToRawIntBits(step),
                    Float.floatToRawIntBits(max), maxCode, infinityCode, firstNanCode);
        }
    }

    private Fp8Widening() {
    }

    /** {@code dst[dstAt + i] = widen(src[srcAt + i])} for i < count; {@code dtype} is F8_E4M3 or F8_E5M2. */
    public static void widen(DType dtype, byte[] src, int srcAt, float[] dst, int dstAt, int count) {
        Format format = format(dtype, "FP8 widening reads F8_E4M3 or F8_E5M2 codes, not ");
        IntVector shift = shiftCounts(format);
        int i = 0;
        for (int end = count - count % LANES; i < end; i += LANES) widen(format, shift, src, srcAt + i).intoArray(dst, dstAt + i);
        for (; i < count; i++) dst[dstAt + i] = dtype == DType.F8_E4M3 ? FloatFormats.e4m3ToFloat(src[srcAt + i]) : FloatFormats.e5m2ToFloat(src[srcAt + i]);
    }

    /** {@code dst[dstAt + i] = narrow(src[srcAt + i])} for i < count; {@code dtype} is F8_E4M3 or F8_E5M2. */
    public static void narrow(DType dtype, float[] src, int srcAt, byte[] dst, int dstAt, int count) {
        Format format = format(dtype, "FP8 narrowing writes F8_E4M3 or F8_E5M2 codes, not ");
        IntVector shift = shiftCounts(format);
        int i = 0;
        for (int end = count - count % LANES; i < end; i += LANES) {
            IntVector codes = narrowCodes(format, shift, FloatVector.fromArray(FLOATS, src, srcAt + i));
            ((ByteVector) codes.convertShape(VectorOperators.I2B, BYTES, 0)).intoArray(dst, dstAt + i);
        }
        for (; i < count; i++) dst[dstAt + i] = dtype == DType.F8_E4M3 ? FloatFormats.floatToE4M3(src[srcAt + i]) : FloatFormats.floatToE5M2(src[srcAt + i]);
    }

    /** {@link Widening#LANES} E4M3FN codes from {@code src[at]} as floats. */
    public static FloatVector e4m3(byte[] src, int at) {
        return widen(E4M3, shiftCounts(E4M3), src, at);
    }

    /** {@link Widening#LANES} E5M2 codes from {@code src[at]} as floats. */
    public static FloatVector e5m2(byte[] src, int at) {
        return widen(E5M2, shiftCounts(E5M2), src, at);
    }

    /** E4M3FN codes (in the low byte of int lanes, sign at bit 7) of {@code v}: RNE, saturating at ±448. */
    public static IntVector e4m3Codes(FloatVector v) {
        return narrowCodes(E4M3, shiftCounts(E4M3), v);
    }

    /** E5M2 codes (in the low byte of int lanes, sign at bit 7) of {@code v}: RNE, saturating at ±57344. */
    public static IntVector e5m2Codes(FloatVector v) {
        return narrowCodes(E5M2, shiftCounts(E5M2), v);
    }

    private static Format format(DType dtype, String refusal) {
        return switch (dtype) {
            case F8_E4M3 -> E4M3;
            case F8_E5M2 -> E5M2;
            default -> throw new IllegalArgumentException(refusal + dtype);
        };
    }

    /**
     * {@link Format#shift} in every lane. Shifting by a count vector made once before a loop keeps
     * the loop as fast as a constant shift; a scalar count that C2 cannot fold costs ~40% (measured).
     */
    private static IntVector shiftCounts(Format format) {
        return IntVector.broadcast(INTS, format.shift());
    }

    private static FloatVector widen(Format format, IntVector shift, byte[] src, int at) {
        IntVector code = (IntVector) ByteVector.fromArray(BYTES, src, at).convertShape(VectorOperators.B2I, INTS, 0);   // sign-extended: bit 31 is the sign
        IntVector magnitude = code.and(0x7F);
        IntVector value = magnitude.lanewise(VectorOperators.LSHL, shift).reinterpretAsFloats().mul(format.widenScale()).reinterpretAsInts();
        IntVector signed = value.blend(INFINITY_BITS, magnitude.compare(VectorOperators.EQ, format.infinityCode())).or(code.and(0x8000_0000));
        return signed.blend(NAN_BITS, magnitude.compare(VectorOperators.GE, format.firstNanCode())).reinterpretAsFloats();
    }

    private static IntVector narrowCodes(Format format, IntVector shift, FloatVector v) {
        IntVector bits = v.reinterpretAsInts();
        IntVector sign = bits.lanewise(VectorOperators.LSHR, 24).and(0x80);
        IntVector magnitude = bits.and(0x7FFF_FFFF);
        IntVector lsb = magnitude.lanewise(VectorOperators.LSHR, shift).and(1);
        IntVector normal = magnitude.add(lsb).add(format.halfMinusOne()).lanewise(VectorOperators.LSHR, shift).sub(format.rebias());
        IntVector subnormal = magnitude.reinterpretAsFloats().add(format.subnormalStep()).reinterpretAsInts().sub(format.subnormalStepBits());
        IntVector code = normal.blend(subnormal, magnitude.compare(VectorOperators.LT, format.minNormalBits()))
                .blend(format.maxCode(), magnitude.compare(VectorOperators.GE, format.maxBits()))
                .blend(0x7F, magnitude.compare(VectorOperators.GT, INFINITY_BITS));                     // NaN: s 1111111 in both formats
        return code.or(sign);
    }
}
