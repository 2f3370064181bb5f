package io.llmc4j.engine.ops.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bulk conversions in every memory layout they accept — typed heap arrays, byte-array heap
 * segments whole or sliced, native memory, the {@code float[]} overloads — at sizes with vector
 * tails and chunk tails, at unaligned offsets, against the scalar references element by element;
 * bytes outside the destination range stay untouched.
 */
class DTypeConversionsLayoutTest {
    private static final int[] SIZES = {1, 3, 7, 15, 17, 31, 33, 257, 4099};
    private static final DType[] NARROW = {DType.BF16, DType.F16, DType.F8_E4M3, DType.F8_E5M2};
    private static final byte GUARD = 0x5A;
    private static final long SEED = 7_2025L;

    /** Where one side of a conversion lives. */
    private enum Memory { FLOAT_ARRAY, TYPED_HEAP, BYTE_HEAP, SLICED_BYTE_HEAP, NATIVE }

    @Test
    void narrowingMatchesTheScalarReferenceInEveryLayout() {
        Random random = new Random(SEED);
        try (Arena arena = Arena.ofConfined()) {
            for (DType to : NARROW) {
                float[] boundary = boundaryFloats(to);
                for (int n : SIZES) for (Memory srcKind : Memory.values()) for (Memory dstKind : new Memory[] {Memory.TYPED_HEAP, Memory.BYTE_HEAP, Memory.SLICED_BYTE_HEAP, Memory.NATIVE}) {
                    for (int misalign : new int[] {0, 1}) {
                        String where = to + " n=" + n + " src " + srcKind + " dst " + dstKind + " misalign " + misalign + " seed " + SEED;
                        float[] values = new float[n];
                        for (int i = 0; i < n; i++) values[i] = random.nextInt(4) == 0 ? Float.intBitsToFloat(random.nextInt()) : boundary[random.nextInt(boundary.length)];
                        int srcIndex = 3, width = to.byteSize();
                        long srcAt = 4L * srcIndex + (srcKind == Memory.FLOAT_ARRAY ? 0 : misalign), dstAt = 5L * width + misalign;
                        MemorySegment dst = allocate(dstKind, to, dstAt + (long) width * n + 8, arena);
                        dst.fill(GUARD);
                        if (srcKind == Memory.FLOAT_ARRAY) {
                            float[] src = new float[srcIndex + n + 2];
                            System.arraycopy(values, 0, src, srcIndex, n);
                            DTypeConversions.fromF32(to, src, srcIndex, dst, dstAt, n);
                        } else {
                            MemorySegment src = allocate(srcKind, DType.F32, srcAt + 4L * n + 8, arena);
                            for (int i = 0; i < n; i++) src.set(Tensor.F32, srcAt + 4L * i, values[i]);
                            DTypeConversions.fromF32(to, src, srcAt, dst, dstAt, n);
                        }
                        for (int i = 0; i < n; i++) {
                            int expected = narrowScalar(to, values[i]), got = width == 2 ? dst.get(Tensor.I16, dstAt + 2L * i) : dst.get(Tensor.I8, dstAt + i);
                            assertEquals(expected, got, where + ": element " + i + ", bits 0x" + Integer.toHexString(Float.floatToRawIntBits(values[i])));
                        }
                        assertGuardsIntact(dst, dstAt, dstAt + (long) width * n, where);
                    }
                }
            }
        }
    }

    @Test
    void wideningMatchesTheScalarReferenceInEveryLayout() {
        Random random = new Random(SEED);
        try (Arena arena = Arena.ofConfined()) {
            for (DType from : NARROW) {
                for (int n : SIZES) for (Memory srcKind : new Memory[] {Memory.TYPED_HEAP, Memory.BYTE_HEAP, Memory.SLICED_BYTE_HEAP, Memory.NATIVE}) for (Memory dstKind : Memory.values()) {
                    for (int misalign : new int[] {0, 1}) {
                        String where = from + " n=" + n + " src " + srcKind + " dst " + dstKind + " misalign " + misalign + " seed " + SEED;
                        int width = from.byteSize(), dstIndex = 5;
                        long srcAt = 3L * width + misalign, dstAt = 4L * dstIndex + (dstKind == Memory.FLOAT_ARRAY ? 0 : misalign);
                        MemorySegment src = allocate(srcKind, from, srcAt + (long) width * n + 8, arena);
                        int[] codes = new int[n];
                        for (int i = 0; i < n; i++) {
                            codes[i] = width == 2 ? random.nextInt(1 << 16) : random.nextInt(256);
                            if (width == 2) src.set(Tensor.I16, srcAt + 2L * i, (short) codes[i]);
                            else src.set(Tensor.I8, srcAt + i, (byte) codes[i]);
                        }
                        float[] got = new float[n];
                        if (dstKind == Memory.FLOAT_ARRAY) {
                            float[] dst = new float[dstIndex + n + 2];
                            DTypeConversions.toF32(from, src, srcAt, dst, dstIndex, n);
                            System.arraycopy(dst, dstIndex, got, 0, n);
                        } else {
                            MemorySegment dst = allocate(dstKind, DType.F32, dstAt + 4L * n + 8, arena);
                            dst.fill(GUARD);
                            DTypeConversions.toF32(from, src, srcAt, dst, dstAt, n);
                            for (int i = 0; i < n; i++) got[i] = dst.get(Tensor.F32, dstAt + 4L * i);
                            assertGuardsIntact(dst, dstAt, dstAt + 4L * n, where);
                        }
                        for (int i = 0; i < n; i++) assertWidened(from, codes[i], got[i], where + ": element " + i + ", code 0x" + Integer.toHexString(codes[i]));
                    }
                }
            }
        }
    }

    @Test
    void fp8RangesOutsideTheSegmentOrReadOnlyTargetsAreRefusedWithoutWriting() {
        byte[] backing = new byte[64];
        java.util.Arrays.fill(backing, GUARD);
        MemorySegment slice = MemorySegment.ofArray(backing).asSlice(8, 32);
        float[] values = new float[40];
        java.util.Arrays.fill(values, 1f);
        assertThrows(IndexOutOfBoundsException.class, () -> DTypeConversions.fromF32(DType.F8_E4M3, values, 0, slice, 4, 29));
        assertThrows(IndexOutOfBoundsException.class, () -> DTypeConversions.toF32(DType.F8_E5M2, slice, 4, new float[40], 0, 29));
        assertThrows(RuntimeException.class, () -> DTypeConversions.fromF32(DType.F8_E4M3, values, 0, slice.asReadOnly(), 0, 32));
        for (int b = 0; b < backing.length; b++) assertEquals(GUARD, backing[b], "byte " + b + " was written");
        DTypeConversions.fromF32(DType.F8_E4M3, values, 0, slice, 4, 28);               // the largest range that fits
        for (int b = 0; b < backing.length; b++) assertEquals(b >= 12 && b < 40 ? FloatFormats.floatToE4M3(1f) : GUARD, backing[b], "byte " + b);
    }

    private static void assertWidened(DType from, int code, float got, String where) {
        float expected = switch (from) {
            case BF16 -> FloatFormats.bf16ToFloat((short) code);
            case F16 -> Float.float16ToFloat((short) code);
            case F8_E4M3 -> FloatFormats.e4m3ToFloat((byte) code);
            case F8_E5M2 -> FloatFormats.e5m2ToFloat((byte) code);
            default -> throw new IllegalArgumentException(from.toString());
        };
        if (from == DType.F16 && Float.isNaN(expected)) {
            // Float.float16ToFloat quiets signalling NaNs when JIT-compiled but not when interpreted;
            // only NaN-ness and the sign are stable.
            assertTrue(Float.isNaN(got) && (Float.floatToRawIntBits(got) < 0) == ((code & 0x8000) != 0), where);
        } else {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got), where);
        }
    }

    private static int narrowScalar(DType to, float value) {
        return switch (to) {
            case BF16 -> FloatFormats.floatToBf16(value);
            case F16 -> Float.floatToFloat16(value);
            case F8_E4M3 -> FloatFormats.floatToE4M3(value);
            case F8_E5M2 -> FloatFormats.floatToE5M2(value);
            default -> throw new IllegalArgumentException(to.toString());
        };
    }

    private static float[] boundaryFloats(DType to) {
        return BoundaryFloats.around(switch (to) {
            case BF16 -> BoundaryFloats.finiteValues(1 << 15, code -> FloatFormats.bf16ToFloat((short) code));
            case F16 -> BoundaryFloats.finiteValues(1 << 15, code -> Float.float16ToFloat((short) code));
            case F8_E4M3 -> BoundaryFloats.finiteValues(128, code -> FloatFormats.e4m3ToFloat((byte) code));
            case F8_E5M2 -> BoundaryFloats.finiteValues(128, code -> FloatFormats.e5m2ToFloat((byte) code));
            default -> throw new IllegalArgumentException(to.toString());
        });
    }

    /** {@code bytes} bytes (rounded up to whole elements for typed arrays) of the given kind; FLOAT_ARRAY sides never come here. */
    private static MemorySegment allocate(Memory kind, DType dtype, long bytes, Arena arena) {
        int elements = (int) ((bytes + dtype.byteSize() - 1) / dtype.byteSize());
        return switch (kind) {
            case TYPED_HEAP -> switch (dtype.byteSize()) {
                case 4 -> MemorySegment.ofArray(new float[elements]);
                case 2 -> MemorySegment.ofArray(new short[elements]);
                default -> MemorySegment.ofArray(new byte[elements]);
            };
            case BYTE_HEAP -> MemorySegment.ofArray(new byte[(int) bytes]);
            case SLICED_BYTE_HEAP -> MemorySegment.ofArray(new byte[(int) bytes + 7 + 5]).asSlice(7, bytes);   // the array goes on past both ends
            case NATIVE -> arena.allocate(bytes, 64);
            case FLOAT_ARRAY -> throw new IllegalArgumentException("float[] sides use the array overloads");
        };
    }

    private static void assertGuardsIntact(MemorySegment dst, long start, long end, String where) {
        for (long b = 0; b < dst.byteSize(); b++) {
            if (b == start) b = end;
            if (b < dst.byteSize()) assertEquals(GUARD, dst.get(Tensor.I8, b), where + ": byte " + b + " outside [" + start + ", " + end + ") was written");
        }
    }
}
