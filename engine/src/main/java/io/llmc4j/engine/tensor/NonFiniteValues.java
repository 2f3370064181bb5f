package io.llmc4j.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Finding NaN and ±Inf in a floating-point tensor by bit pattern: a value is non-finite when all its
 * exponent bits are set (F64, F32, F16, BF16, F8_E5M2), or, for F8_E4M3 (the "fn" variant, no
 * infinities), when its bits are {@code S.1111.111}. Integer dtypes hold none. The fast path tests a
 * vector of raw bits at a time and rescans only the vector that holds a hit; {@link #firstIndexReference}
 * is the plain loop it must agree with. Stateless.
 */
public final class NonFiniteValues {
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private NonFiniteValues() {
    }

    /** The row-major index of the first NaN or ±Inf in {@code t}, or −1 when there is none (or {@code t} is symbolic). */
    public static long firstIndex(Tensor t) {
        if (t.isSymbolic() || !t.dtype().isFloatingPoint() || t.elementCount() == 0) return -1;
        Tensor c = t.isContiguous() ? t : t.contiguous();
        MemorySegment s = c.segment();
        long at = c.byteOffset(), n = c.elementCount();
        return switch (c.dtype()) {
            case F64 -> first64(s, at, n);
            case F32 -> first32(s, at, n);
            case F16 -> first16(s, at, n, (short) 0x7C00, (short) 0x7C00);
            case BF16 -> first16(s, at, n, (short) 0x7F80, (short) 0x7F80);
            case F8_E5M2 -> first8(s, at, n, (byte) 0x7C, (byte) 0x7C);
            case F8_E4M3 -> first8(s, at, n, (byte) 0x7F, (byte) 0x7F);
            default -> -1;
        };
    }

    /** The plain element-by-element loop {@link #firstIndex} agrees with. */
    public static long firstIndexReference(Tensor t) {
        if (t.isSymbolic() || !t.dtype().isFloatingPoint()) return -1;
        for (long i = 0, n = t.elementCount(); i < n; i++) if (!Double.isFinite(t.getDouble(unflatten(t, i)))) return i;
        return -1;
    }

    /** E.g. {@code NaN at [3, 17]} for the element at row-major index {@code flatIndex}. */
    public static String describe(Tensor t, long flatIndex) {
        long[] index = unflatten(t, flatIndex);
        double v = t.getDouble(index);
        return (Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : v < 0 ? "-Inf" : String.valueOf(v)) + " at " + Arrays.toString(index);
    }

    private static long[] unflatten(Tensor t, long flatIndex) {
        long[] index = new long[t.rank()];
        long rest = flatIndex;
        for (int axis = t.rank() - 1; axis >= 0; axis--) {
            index[axis] = rest % t.dim(axis);
            rest /= t.dim(axis);
        }
        return index;
    }

    private static long first64(MemorySegment s, long at, long n) {
        long mask = 0x7FF0000000000000L;
        long i = 0;
        for (long end = n - n % LONGS.length(); i < end; i += LONGS.length()) {
            LongVector v = LongVector.fromMemorySegment(LONGS, s, at + 8 * i, ByteOrder.LITTLE_ENDIAN);
            if (v.and(mask).compare(VectorOperators.EQ, mask).anyTrue()) break;
        }
        for (; i < n; i++) if ((s.get(U64, at + 8 * i) & mask) == mask) return i;
        return -1;
    }

    private static long first32(MemorySegment s, long at, long n) {
        int mask = 0x7F800000;
        long i = 0;
        for (long end = n - n % INTS.length(); i < end; i += INTS.length()) {
            IntVector v = IntVector.fromMemorySegment(INTS, s, at + 4 * i, ByteOrder.LITTLE_ENDIAN);
            if (v.and(mask).compare(VectorOperators.EQ, mask).anyTrue()) break;
        }
        for (; i < n; i++) if ((s.get(U32, at + 4 * i) & mask) == mask) return i;
        return -1;
    }

    private static long first16(MemorySegment s, long at, long n, short mask, short pattern) {
        long i = 0;
        for (long end = n - n % SHORTS.length(); i < end; i += SHORTS.length()) {
            ShortVector v = ShortVector.fromMemorySegment(SHORTS, s, at + 2 * i, ByteOrder.LITTLE_ENDIAN);
            if (v.and(mask).compare(VectorOperators.EQ, pattern).anyTrue()) break;
        }
        for (; i < n; i++) if ((short) (s.get(U16, at + 2 * i) & mask) == pattern) return i;
        return -1;
    }

    private static long first8(MemorySegment s, long at, long n, byte mask, byte pattern) {
        long i = 0;
        for (long end = n - n % BYTES.length(); i < end; i += BYTES.length()) {
            ByteVector v = ByteVector.fromMemorySegment(BYTES, s, at + i, ByteOrder.LITTLE_ENDIAN);
            if (v.and(mask).compare(VectorOperators.EQ, pattern).anyTrue()) break;
        }
        for (; i < n; i++) if ((byte) (s.get(U8, at + i) & mask) == pattern) return i;
        return -1;
    }
}
