package io.llmc4j.engine.ops.convert;

import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Fp8Widening;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Bulk conversions between float32 and the 16- and 8-bit float formats, on raw little-endian memory.
 *
 * <p>Every method converts {@code count} consecutive elements from {@code src} (starting at a byte
 * offset, or an array index) into {@code dst}. Results are bit-identical to the scalar reference
 * element by element: {@link FloatFormats} for BF16 and FP8, the JDK's {@code Float.floatToFloat16}
 * / {@code float16ToFloat} for F16. BF16 and F16 narrowing round to nearest even, FP8 narrowing
 * saturates, NaN stays NaN.
 *
 * <p>All paths are vectorized: BF16/F16 in {@link Widening}, FP8 E4M3/E5M2 in {@link Fp8Widening}.
 * BF16/F16 in native memory is widened by vector loads straight from the segment; everything else
 * not backed by an array of the element type (native F32 and FP8, other heap arrays) is staged in
 * chunks of {@value #CHUNK} elements (L1-sized) with {@code MemorySegment.copy}. No vector load ever
 * reads a heap segment (see {@link FloatData} for why). Segments may be heap or native, aligned or not.
 *
 * <p>Single-threaded and stateless; callers split large conversions into chunks themselves (see
 * {@link TensorConversion}).
 */
public final class DTypeConversions {
    private static final int CHUNK = 4096;
    /** Staging of the bulk methods (none of them runs inside another). */
    private static final WindowPool STAGING = new WindowPool(1);

    private DTypeConversions() {
    }

    /** Whether the bulk methods accept {@code dtype}: F32, F16, BF16, F8_E4M3, F8_E5M2. */
    public static boolean isConvertibleFloat(DType dtype) {
        return switch (dtype) {
            case F32, F16, BF16, F8_E4M3, F8_E5M2 -> true;
            default -> false;
        };
    }

    /** Widens {@code count} elements of {@code from} at {@code srcByteOffset} into F32 at {@code dstByteOffset}. */
    public static void toF32(DType from, MemorySegment src, long srcByteOffset, MemorySegment dst, long dstByteOffset, long count) {
        switch (from) {
            case F32 -> MemorySegment.copy(src, srcByteOffset, dst, dstByteOffset, 4 * count);
            case BF16, F16 -> copy(FloatData.of(from, src, srcByteOffset), FloatData.of(DType.F32, dst, dstByteOffset), count);
            case F8_E4M3, F8_E5M2 -> fp8ToF32(from, src, srcByteOffset, FloatData.of(DType.F32, dst, dstByteOffset), count);
            default -> throw unsupported(from, DType.F32);
        }
    }

    /** Widens {@code count} elements of {@code from} at {@code srcByteOffset} into {@code dst[dstIndex...]}. */
    public static void toF32(DType from, MemorySegment src, long srcByteOffset, float[] dst, int dstIndex, int count) {
        if (from == DType.F32 || from == DType.BF16 || from == DType.F16) FloatData.of(from, src, srcByteOffset).readInto(0, count, dst, dstIndex, STAGING.first());
        else if (from == DType.F8_E4M3 || from == DType.F8_E5M2) fp8ToF32(from, src, srcByteOffset, FloatData.of(dst, dstIndex), count);
        else throw unsupported(from, DType.F32);
    }

    /** Narrows {@code count} F32 elements at {@code srcByteOffset} into {@code to} at {@code dstByteOffset}. */
    public static void fromF32(DType to, MemorySegment src, long srcByteOffset, MemorySegment dst, long dstByteOffset, long count) {
        switch (to) {
            case F32 -> MemorySegment.copy(src, srcByteOffset, dst, dstByteOffset, 4 * count);
            case BF16, F16 -> copy(FloatData.of(DType.F32, src, srcByteOffset), FloatData.of(to, dst, dstByteOffset), count);
            case F8_E4M3, F8_E5M2 -> f32ToFp8(to, FloatData.of(DType.F32, src, srcByteOffset), dst, dstByteOffset, count);
            default -> throw unsupported(DType.F32, to);
        }
    }

    /** Narrows {@code src[srcIndex...]} ({@code count} floats) into {@code to} at {@code dstByteOffset}. */
    public static void fromF32(DType to, float[] src, int srcIndex, MemorySegment dst, long dstByteOffset, int count) {
        if (to == DType.F32 || to == DType.BF16 || to == DType.F16) FloatData.of(to, dst, dstByteOffset).write(0, src, srcIndex, count);
        else if (to == DType.F8_E4M3 || to == DType.F8_E5M2) f32ToFp8(to, FloatData.of(src, srcIndex), dst, dstByteOffset, count);
        else throw unsupported(DType.F32, to);
    }

    /** BF16 → F32: each value is the top half of the float (exact). */
    public static void bf16ToF32(MemorySegment src, long srcByteOffset, MemorySegment dst, long dstByteOffset, long count) {
        copy(FloatData.of(DType.BF16, src, srcByteOffset), FloatData.of(DType.F32, dst, dstByteOffset), count);
    }

    /** F16 → F32, exact. */
    public static void f16ToF32(MemorySegment src, long srcByteOffset, MemorySegment dst, long dstByteOffset, long count) {
        copy(FloatData.of(DType.F16, src, srcByteOffset), FloatData.of(DType.F32, dst, dstByteOffset), count);
    }

    /** F32 → BF16, round to nearest even; NaN becomes the quiet NaN {@link FloatFormats#floatToBf16} gives. */
    public static void f32ToBf16(MemorySegment src, long srcByteOffset, MemorySegment dst, long dstByteOffset, long count) {
        copy(FloatData.of(DType.F32, src, srcByteOffset), FloatData.of(DType.BF16, dst, dstByteOffset), count);
    }

    /** Copies {@code count} elements, converting from {@code from}'s dtype to {@code to}'s, in L1-sized chunks. */
    public static void copy(FloatData from, FloatData to, long count) {
        Window staging = STAGING.first();
        for (long start = 0; start < count; start += CHUNK) to.copyFrom(from, start, start, (int) Math.min(CHUNK, count - start), staging);
    }

    /**
     * FP8 codes at {@code src[srcByteOffset...]} widened into {@code dst}, a chunk at a time: codes
     * in a heap {@code byte[]} are read in place, others are first copied into a byte array; floats
     * go straight into {@code dst}'s backing {@code float[]}, or through scratch and a commit.
     */
    private static void fp8ToF32(DType from, MemorySegment src, long srcByteOffset, FloatData dst, long count) {
        Objects.checkFromIndexSize(srcByteOffset, count, src.byteSize());   // the array path below bypasses the segment's own checks
        byte[] array = byteArray(src);
        Window window = STAGING.first();
        byte[] codes = array != null ? array : window.codes((int) Math.min(CHUNK, count));
        for (long start = 0; start < count; start += CHUNK) {
            int n = (int) Math.min(CHUNK, count - start), at = 0;
            if (array != null) at = Math.toIntExact(src.address() + srcByteOffset + start);
            else MemorySegment.copy(src, Tensor.I8, srcByteOffset + start, codes, 0, n);
            Window out = dst.writable(start, n, window);
            Fp8Widening.widen(from, codes, at, out.array(), out.offset(), n);
            dst.commit(start, n, out);
        }
    }

    /** {@code src} narrowed into FP8 codes at {@code dst[dstByteOffset...]}, a chunk at a time, through a byte array unless {@code dst} is one. */
    private static void f32ToFp8(DType to, FloatData src, MemorySegment dst, long dstByteOffset, long count) {
        Objects.checkFromIndexSize(dstByteOffset, count, dst.byteSize());   // the array path below bypasses the segment's own checks
        byte[] array = dst.isReadOnly() ? null : byteArray(dst);
        Window window = STAGING.first();
        byte[] codes = array != null ? array : window.codes((int) Math.min(CHUNK, count));
        for (long start = 0; start < count; start += CHUNK) {
            int n = (int) Math.min(CHUNK, count - start);
            Window in = src.read(start, n, window);
            if (array != null) {
                Fp8Widening.narrow(to, in.array(), in.offset(), array, Math.toIntExact(dst.address() + dstByteOffset + start), n);
            } else {
                Fp8Widening.narrow(to, in.array(), in.offset(), codes, 0, n);
                MemorySegment.copy(codes, 0, dst, Tensor.I8, dstByteOffset + start, n);
            }
        }
    }

    /** The {@code byte[]} behind a heap segment (whose address is then the offset into it), else null. */
    private static byte[] byteArray(MemorySegment segment) {
        return !segment.isNative() && segment.heapBase().orElse(null) instanceof byte[] array ? array : null;
    }

    private static IllegalArgumentException unsupported(DType from, DType to) {
        return new IllegalArgumentException("no bulk float conversion from " + from + " to " + to
                + "; supported: F32, F16, BF16, F8_E4M3, F8_E5M2");
    }
}
