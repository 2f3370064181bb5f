package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.memory.Widening;
import jdk.incubator.vector.FloatVector;

/**
 * Transposes a 16×16 block of F32/BF16/F16 values into a float array, for 16-lane (512-bit) float
 * vectors. Used to pack Linear weights {@code [out, in]}, whose columns of Bᵀ are contiguous, into
 * GEMM panels, which need rows of B contiguous.
 *
 * <p>The network is four rounds of a perfect shuffle: each round pairs rows {@code i} and
 * {@code i + 8} and interleaves them element by element ({@code lo = a0 b0 a1 b1 … a7 b7},
 * {@code hi = a8 b8 …}). Writing an element's (row, column) as 8 bits {@code i3 i2 i1 i0 j3 j2 j1 j0},
 * one round rotates them left by one; four rounds swap row and column bits, which is the transpose.
 * Each interleave is one two-table permute ({@code selectFrom}).
 */
final class Transpose16 {
    /** True when the float species has exactly 16 lanes, the only width this class handles. */
    static final boolean SUPPORTED = Widening.LANES == 16;
    private static final FloatVector LOW;
    private static final FloatVector HIGH;

    static {
        float[] low = new float[16], high = new float[16];
        for (int i = 0; i < 8; i++) {
            low[2 * i] = i;
            low[2 * i + 1] = 16 + i;
            high[2 * i] = 8 + i;
            high[2 * i + 1] = 24 + i;
        }
        LOW = SUPPORTED ? FloatVector.fromArray(Widening.SPECIES, low, 0) : null;
        HIGH = SUPPORTED ? FloatVector.fromArray(Widening.SPECIES, high, 0) : null;
    }

    private Transpose16() {
    }

    /**
     * Reads 16 rows of 16 floats, row {@code i} starting at {@code src[at + i·rowStride]}, and writes
     * column {@code t} of that block to {@code dst[d + t·dstStride …+16]}.
     */
    static void transpose(float[] src, int at, int rowStride, float[] dst, int d, int dstStride) {
        FloatVector r0 = FloatVector.fromArray(Widening.SPECIES, src, at);
        FloatVector r1 = FloatVector.fromArray(Widening.SPECIES, src, at + rowStride);
        FloatVector r2 = FloatVector.fromArray(Widening.SPECIES, src, at + 2 * rowStride);
        FloatVector r3 = FloatVector.fromArray(Widening.SPECIES, src, at + 3 * rowStride);
        FloatVector r4 = FloatVector.fromArray(Widening.SPECIES, src, at + 4 * rowStride);
        FloatVector r5 = FloatVector.fromArray(Widening.SPECIES, src, at + 5 * rowStride);
        FloatVector r6 = FloatVector.fromArray(Widening.SPECIES, src, at + 6 * rowStride);
        FloatVector r7 = FloatVector.fromArray(Widening.SPECIES, src, at + 7 * rowStride);
        FloatVector r8 = FloatVector.fromArray(Widening.SPECIES, src, at + 8 * rowStride);
        FloatVector r9 = FloatVector.fromArray(Widening.SPECIES, src, at + 9 * rowStride);
        FloatVector r10 = FloatVector.fromArray(Widening.SPECIES, src, at + 10 * rowStride);
        FloatVector r11 = FloatVector.fromArray(Widening.SPECIES, src, at + 11 * rowStride);
        FloatVector r12 = FloatVector.fromArray(Widening.SPECIES, src, at + 12 * rowStride);
        FloatVector r13 = FloatVector.fromArray(Widening.SPECIES, src, at + 13 * rowStride);
        FloatVector r14 = FloatVector.fromArray(Widening.SPECIES, src, at + 14 * rowStride);
        FloatVector r15 = FloatVector.fromArray(Widening.SPECIES, src, at + 15 * rowStride);
        for (int round = 0; round < 4; round++) {
            FloatVector s0 = LOW.selectFrom(r0, r8), s1 = HIGH.selectFrom(r0, r8);
            FloatVector s2 = LOW.selectFrom(r1, r9), s3 = HIGH.selectFrom(r1, r9);
            FloatVector s4 = LOW.selectFrom(r2, r10), s5 = HIGH.selectFrom(r2, r10);
            FloatVector s6 = LOW.selectFrom(r3, r11), s7 = HIGH.selectFrom(r3, r11);
            FloatVector s8 = LOW.selectFrom(r4, r12), s9 = HIGH.selectFrom(r4, r12);
            FloatVector s10 = LOW.selectFrom(r5, r13), s11 = HIGH.selectFrom(r5, r13);
            FloatVector s12 = LOW.selectFrom(r6, r14), s13 = HIGH.selectFrom(r6, r14);
            FloatVector s14 = LOW.selectFrom(r7, r15), s15 = HIGH.selectFrom(r7, r15);
            r0 = s0; r1 = s1; r2 = s2; r3 = s3; r4 = s4; r5 = s5; r6 = s6; r7 = s7;
            r8 = s8; r9 = s9; r10 = s10; r11 = s11; r12 = s12; r13 = s13; r14 = s14; r15 = s15;
        }
        r0.intoArray(dst, d);
        r1.intoArray(dst, d + dstStride);
        r2.intoArray(dst, d + 2 * dstStride);
        r3.intoArray(dst, d + 3 * dstStride);
        r4.intoArray(dst, d + 4 * dstStride);
        r5.intoArray(dst, d + 5 * dstStride);
        r6.intoArray(dst, d + 6 * dstStride);
        r7.intoArray(dst, d + 7 * dstStride);
        r8.intoArray(dst, d + 8 * dstStride);
        r9.intoArray(dst, d + 9 * dstStride);
        r10.intoArray(dst, d + 10 * dstStride);
        r11.intoArray(dst, d + 11 * dstStride);
        r12.intoArray(dst, d + 12 * dstStride);
        r13.intoArray(dst, d + 13 * dstStride);
        r14.intoArray(dst, d + 14 * dstStride);
        r15.intoArray(dst, d + 15 * dstStride);
    }
}
