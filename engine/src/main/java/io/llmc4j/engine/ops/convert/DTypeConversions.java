package io.llmc4j.engine.ops.convert;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.FloatFormats;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bulk conversions between float32 and the 16- and 8-bit float formats, on raw little-endian memory.
 *
 * <p>Every method converts {@code count} consecutive elements from {@code src} (starting at a byte
 * offset, or an array index) into {@code dst}. Results are bit-identical to the scalar reference
 * {@link FloatFormats} element by element: BF16 and F16 narrowing round to nearest even, FP8
 * narrowing saturates, NaN stays NaN (with {@code FloatFormats}' payload rules). BF16↔F32,
 * F16→F32 and F32→BF16 run on the Vector API; F32→F16 and the FP8 paths go element by element
 * through the JDK intrinsic / {@code FloatFormats}. Segments may be heap or native, aligned or not.
 *
 * <p>Single-threaded and stateless; callers split large conversions into chunks themselves (see
 * {@link TensorConversion}).
 */
public final class DTypeConversions {
    private static final VectorSpecies<Float> FLOATS = FloatLoads.SPECIES;
    private static final int LANES = FloatLoads.LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private DTypeConversions() {
    }

    /** Whether {@link #toF32} accepts {@code dtype}: F32, F16, BF16, F8_E4M3, F8_E5M2. */
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
            case BF16 -> bf16ToF32(src, srcByteOffset, dst, dstByteOffset, count);
            case F16 -> f16ToF32(src, srcByteOffset, dst, dstByteOffset, count);
            case F8_E4M3 -> {
                for (long i = 0; i < count; i++) dst.set(Tensor.F32, dstByteOffset + 4 * i, FloatFormats.e4m3ToFloat(src.get(Tensor.I8, srcByteOffset + i)));
            }
            case F8_E5M2 -> {
                for (long i = 0; i < count; i++) dst.set(Tensor.F32, dstByteOffset + 4 * i, FloatFormats.e5m2ToFloat(src.get(Tensor.I8, srcByteOffset + i)));
            }
            default -> throw unsupported(from, DType.F32);
        }
    }

    /** Widens {@code count} elements of {@code from} at {@code srcByteOffset} into {@code dst[dstIndex...]}. */
    public static void toF32(DType from, MemorySegment src, long srcByteOffset, float[] dst, int dstIndex, int count) {
        toF32(from, src, srcByteOffset, MemorySegment.ofArray(dst), 4L * dstIndex, count);
    }

    /** Narrows {@code count} F32 elements at {@code srcByteOffset} into {@code to} at {@code dstByteOffset}. */
    public static void fromF32(DType to, MemorySegment src, long srcByteOffset, MemorySegment dst, long dstByteOffset, long count) {
        switch (to) {
            case F32 -> MemorySegment.copy(src, srcByteOffset, dst, dstByteOffset, 4 * count);
            case BF16 -> f32ToBf16(src, srcByteOffset, dst, dstByteOffset, count);
            case F16 -> {
                for (long i = 0; i < count; i++) dst.set(Tensor.I16, dstByteOffset + 2 * i, Float.floatToFloat16(src.get(Tensor.F32, srcByteOffset + 4 * i)));
            }
            case F8_E4M3 -> {
                for (long i = 0; i < count; i++) dst.set(Tensor.I8, dstByteOffset + i, FloatFormats.floatToE4M3(src.get(Tensor.F32, srcByteOffset + 4 * i)));
            }
            case F8_E5M2 -> {
                for (long i = 0; i < count; i++) dst.set(Tensor.I8, dstByteOffset + i, FloatFormats.floatToE5M2(src.get(Tensor.F32, srcByteOffset + 4 * i)));
            }
            default -> throw unsupported(DType.F32, to);
        }
    }

    /** Narrows {@code src[srcIndex...]} ({@code count} floats) into {@code to} at {@code dstByteOffset}. */
    public static void fromF32(DType to, float[] src, int srcIndex, MemorySegment dst, long dstByteOffset, int count) {
        fromF32(to, MemorySegment.ofArray(src), 4L * srcIndex, dst, dstByteOffset, count);
    }

    /** BF16 → F32: each value is the top half of the float (exact). */
    public static void bf16ToF32(MemorySegment src, long srcByteOffset, MemorySegment dst, long dstByteOffset, long count) {
        long i = 0;
        for (long end = count - count % LANES; i < end; i += LANES)
            FloatLoads.bf16(src, srcByteOffset + 2 * i).intoMemorySegment(dst, dstByteOffset + 4 * i, LE);
        for (; i < count; i++) dst.set(Tensor.F32, dstByteOffset + 4 * i, FloatFormats.bf16ToFloat(src.get(Tensor.I16, srcByteOffset + 2 * i)));
    }

    /** F16 → F32, exact (see {@link FloatLoads#f16}). */
    public static void f16ToF32(MemorySegment src, long srcByteOffset, MemorySegment dst, long dstByteOffset, long count) {
        long i = 0;
        for (long end = count - count % LANES; i < end; i += LANES)
            FloatLoads.f16(src, srcByteOffset + 2 * i).intoMemorySegment(dst, dstByteOffset + 4 * i, LE);
        for (; i < count; i++) dst.set(Tensor.F32, dstByteOffset + 4 * i, Float.float16ToFloat(src.get(Tensor.I16, srcByteOffset + 2 * i)));
    }

    /** F32 → BF16, round to nearest even; NaN becomes the quiet NaN {@link FloatFormats#floatToBf16} gives. */
    public static void f32ToBf16(MemorySegment src, long srcByteOffset, MemorySegment dst, long dstByteOffset, long count) {
        long i = 0;
        for (long end = count - count % LANES; i < end; i += LANES) {
            FloatVector f = FloatVector.fromMemorySegment(FLOATS, src, srcByteOffset + 4 * i, LE);
            IntVector bits = f.reinterpretAsInts();
            IntVector high = bits.lanewise(VectorOperators.LSHR, 16);
            IntVector rounded = bits.add(high.and(1)).add(0x7FFF).lanewise(VectorOperators.LSHR, 16);
            VectorMask<Integer> nan = f.test(VectorOperators.IS_NAN).cast(FloatLoads.INTS);
            IntVector narrowed = rounded.blend(high.or(0x40), nan);
            narrowed.convertShape(VectorOperators.I2S, FloatLoads.SHORTS, 0).intoMemorySegment(dst, dstByteOffset + 2 * i, LE);
        }
        for (; i < count; i++) dst.set(Tensor.I16, dstByteOffset + 2 * i, FloatFormats.floatToBf16(src.get(Tensor.F32, srcByteOffset + 4 * i)));
    }

    private static IllegalArgumentException unsupported(DType from, DType to) {
        return new IllegalArgumentException("no bulk float conversion from " + from + " to " + to
                + "; supported: F32, F16, BF16, F8_E4M3, F8_E5M2");
    }
}
