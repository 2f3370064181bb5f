package io.llmc4j.engine.ops.memory;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
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

    private Fp8Widening() {
    }

    /** {@code dst[dstAt + i] = widen(src[srcAt + i])} for i < count; {@code dtype} is F8_E4M3 or F8_E5M2. */
    public static void widen(DType dtype, byte[] src, int srcAt, float[] dst, int dstAt, int count) {
        int i = 0, end = count - count % LANES;
        if (dtype == DType.F8_E4M3) {
            for (; i < end; i += LANES) e4m3(src, srcAt + i).intoArray(dst, dstAt + i);
            for (; i < count; i++) dst[dstAt + i] = FloatFormats.e4m3ToFloat(src[srcAt + i]);
        } else if (dtype == DType.F8_E5M2) {
            for (; i < end; i += LANES) e5m2(src, srcAt + i).intoArray(dst, dstAt + i);
            for (; i < count; i++) dst[dstAt + i] = FloatFormats.e5m2ToFloat(src[srcAt + i]);
        } else {
            throw new IllegalArgumentException("FP8 widening reads F8_E4M3 or F8_E5M2 codes, not " + dtype);
        }
    }

    /** {@code dst[dstAt + i] = narrow(src[srcAt + i])} for i < count; {@code dtype} is F8_E4M3 or F8_E5M2. */
    public static void narrow(DType dtype, float[] src, int srcAt, byte[] dst, int dstAt, int count) {
        int i = 0, end = count - count % LANES;
        if (dtype == DType.F8_E4M3) {
            for (; i < end; i += LANES) bytes(e4m3Codes(FloatVector.fromArray(FLOATS, src, srcAt + i))).intoArray(dst, dstAt + i);
            for (; i < count; i++) dst[dstAt + i] = FloatFormats.floatToE4M3(src[srcAt + i]);
        } else if (dtype == DType.F8_E5M2) {
            for (; i < end; i += LANES) bytes(e5m2Codes(FloatVector.fromArray(FLOATS, src, srcAt + i))).intoArray(dst, dstAt + i);
            for (; i < count; i++) dst[dstAt + i] = FloatFormats.floatToE5M2(src[srcAt + i]);
        } else {
            throw new IllegalArgumentException("FP8 narrowing writes F8_E4M3 or F8_E5M2 codes, not " + dtype);
        }
    }

    /** {@link Widening#LANES} E4M3FN codes from {@code src[at]} as floats. */
    public static FloatVector e4m3(byte[] src, int at) {
        IntVector code = codes(src, at);
        IntVector magnitude = code.and(0x7F);
        IntVector value = magnitude.lanewise(VectorOperators.LSHL, 20).reinterpretAsFloats().mul(0x1p120f).reinterpretAsInts();
        IntVector signed = value.or(code.and(0x8000_0000));
        return signed.blend(NAN_BITS, magnitude.compare(VectorOperators.EQ, 0x7F)).reinterpretAsFloats();
    }

    /** {@link Widening#LANES} E5M2 codes from {@code src[at]} as floats. */
    public static FloatVector e5m2(byte[] src, int at) {
        IntVector code = codes(src, at);
        IntVector magnitude = code.and(0x7F);
        IntVector sign = code.and(0x8000_0000);
        IntVector value = magnitude.lanewise(VectorOperators.LSHL, 21).reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        IntVector signed = value.blend(INFINITY_BITS, magnitude.compare(VectorOperators.EQ, 0x7C)).or(sign);
        return signed.blend(NAN_BITS, magnitude.compare(VectorOperators.GT, 0x7C)).reinterpretAsFloats();
    }

    /** E4M3FN codes (in the low byte of int lanes, sign at bit 7) of {@code v}: RNE, saturating at ±448. */
    public static IntVector e4m3Codes(FloatVector v) {
        return narrowCodes(v, 3, 7, FloatFormats.E4M3_MAX, 0x7E, 0x7F);
    }

    /** E5M2 codes (in the low byte of int lanes, sign at bit 7) of {@code v}: RNE, saturating at ±57344. */
    public static IntVector e5m2Codes(FloatVector v) {
        return narrowCodes(v, 2, 15, FloatFormats.E5M2_MAX, 0x7B, 0x7F);
    }

    private static IntVector narrowCodes(FloatVector v, int mantissaBits, int bias, float max, int maxCode, int nanCode) {
        IntVector bits = v.reinterpretAsInts();
        IntVector sign = bits.lanewise(VectorOperators.LSHR, 24).and(0x80);
        IntVector magnitude = bits.and(0x7FFF_FFFF);
        int shift = 23 - mantissaBits;
        IntVector lsb = magnitude.lanewise(VectorOperators.LSHR, shift).and(1);
        IntVector normal = magnitude.add(lsb).add((1 << (shift - 1)) - 1).lanewise(VectorOperators.LSHR, shift)
                .sub((127 - bias) << mantissaBits);
        float step = Math.scalb(1f, 1 - bias - mantissaBits + 23);           // its ulp is the subnormal step
        IntVector subnormal = magnitude.reinterpretAsFloats().add(step).reinterpretAsInts().sub(Float.floatToRawIntBits(step));
        VectorMask<Integer> belowNormal = magnitude.compare(VectorOperators.LT, Float.floatToRawIntBits(Math.scalb(1f, 1 - bias)));
        IntVector code = normal.blend(subnormal, belowNormal)
                .blend(maxCode, magnitude.compare(VectorOperators.GE, Float.floatToRawIntBits(max)))
                .blend(nanCode, magnitude.compare(VectorOperators.GT, INFINITY_BITS));
        return code.or(sign);
    }

    private static IntVector codes(byte[] src, int at) {
        return (IntVector) ByteVector.fromArray(BYTES, src, at).convertShape(VectorOperators.B2I, INTS, 0);
    }

    private static ByteVector bytes(IntVector codes) {
        return (ByteVector) codes.convertShape(VectorOperators.I2B, BYTES, 0);
    }
}
