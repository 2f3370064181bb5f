package io.llmc4j.engine.ops.convert;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Whole-tensor dtype conversion on a {@link Parallel} pool, built on {@link DTypeConversions}.
 *
 * <p>Results are new contiguous heap tensors (or the input itself where {@link #contiguousF32} says
 * so). Chunks of {@value #CHUNK} elements are fixed by size, so the output does not depend on the
 * thread count (conversion is elementwise anyway). Conversions between float formats match
 * {@link Tensor#to}; other dtype pairs (integers, F64) go through {@link Tensor#to} itself.
 * Thread-safe.
 */
public final class TensorConversion {
    static final int CHUNK = 1 << 16;

    private TensorConversion() {
    }

    /** A contiguous copy of {@code x} in {@code target} dtype (RNE narrowing, FP8 saturating). */
    public static Tensor convert(Tensor x, DType target, Parallel parallel) {
        if (!DTypeConversions.isConvertibleFloat(x.dtype()) || !DTypeConversions.isConvertibleFloat(target)) return x.to(target);
        if (x.dtype() == target) return x.copy();
        Tensor source = x.contiguous();
        Tensor out = Tensor.allocate(target, x.shape().toArray());
        long n = x.elementCount();
        MemorySegment src = source.segment(), dst = out.segment();
        long srcAt = source.byteOffset(), dstAt = out.byteOffset();
        int srcWidth = x.dtype().byteSize(), dstWidth = target.byteSize();
        parallel.forEach(Parallel.chunkCount(n, CHUNK), chunk -> {
            long start = (long) chunk * CHUNK, count = Math.min(CHUNK, n - start);
            long from = srcAt + start * srcWidth, to = dstAt + start * dstWidth;
            if (x.dtype() == DType.F32) {
                DTypeConversions.fromF32(target, src, from, dst, to, count);
            } else if (target == DType.F32) {
                DTypeConversions.toF32(x.dtype(), src, from, dst, to, count);
            } else {
                float[] scratch = new float[(int) count];
                DTypeConversions.toF32(x.dtype(), src, from, scratch, 0, (int) count);
                DTypeConversions.fromF32(target, scratch, 0, dst, to, (int) count);
            }
        });
        return out;
    }

    /** {@code x} itself when it is contiguous F32, else a contiguous F32 copy. */
    public static Tensor contiguousF32(Tensor x, Parallel parallel) {
        if (x.dtype() == DType.F32 && x.isContiguous()) return x;
        return convert(x, DType.F32, parallel);
    }

    /**
     * {@code x} contiguous and readable as {@code FloatData}: itself (or a contiguous copy in its
     * own dtype) when it is F32, BF16 or F16, else a contiguous F32 copy.
     */
    public static Tensor contiguousFloat(Tensor x, Parallel parallel) {
        return switch (x.dtype()) {
            case F32, BF16, F16 -> x.contiguous();
            default -> convert(x, DType.F32, parallel);
        };
    }

    /** The values of {@code x} (any float dtype, any layout, at most 2^31-1 elements) as a float array. */
    public static float[] toFloatArray(Tensor x) {
        if (!DTypeConversions.isConvertibleFloat(x.dtype())) return x.toFloatArray();
        Tensor source = x.contiguous();
        float[] out = new float[Math.toIntExact(x.elementCount())];
        DTypeConversions.toF32(x.dtype(), source.segment(), source.byteOffset(), out, 0, out.length);
        return out;
    }
}
