package io.llmc4j.engine.ops.norm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.FloatLoads;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * RMSNorm over the last axis: {@code y = x / sqrt(mean(x²) + eps) · weight}, computed in float32 as
 * Hugging Face's {@code LlamaRMSNorm} does. x {@code [..., features]} (any float dtype and layout),
 * weight {@code [features]} (F32/BF16/F16); returns a new contiguous F32 heap tensor.
 *
 * <p>Each row is one task-local pass: the sum of squares in four vector accumulators (fixed order,
 * then a lane reduction and a scalar tail), then {@code x · inv · w}. Rows are grouped into tasks by
 * size only, so results do not depend on the thread count. Thread-safe.
 */
public final class RmsNorm {
    private static final VectorSpecies<Float> S = FloatLoads.SPECIES;
    private static final int LANES = FloatLoads.LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final long CHUNK = 1 << 15;

    private RmsNorm() {
    }

    public static Tensor apply(Tensor x, Tensor weight, float eps, Parallel parallel) {
        if (x.rank() < 1) throw new IllegalArgumentException("rmsNorm: input must have a feature axis, got a scalar");
        long n = x.shape().last();
        if (weight.rank() != 1 || weight.dim(0) != n)
            throw new IllegalArgumentException("rmsNorm: weight " + weight.shape() + " does not match the " + n + " features of x " + x.shape());
        Tensor in = TensorConversion.contiguousF32(x, parallel);
        Tensor out = Tensor.allocate(DType.F32, x.shape().toArray());
        if (n == 0 || x.elementCount() == 0) return out;
        float[] w = TensorConversion.toFloatArray(weight);
        long rows = x.elementCount() / n;
        MemorySegment src = in.segment(), dst = out.segment();
        long srcAt = in.byteOffset();
        long rowsPerTask = Math.max(1, CHUNK / n);
        parallel.forEach(Parallel.chunkCount(rows, rowsPerTask), task -> {
            long first = task * rowsPerTask, last = Math.min(rows, first + rowsPerTask);
            for (long r = first; r < last; r++) row(src, srcAt + r * n * 4, dst, r * n * 4, w, eps);
        });
        return out;
    }

    /** Normalizes one row of {@code w.length} floats at byte {@code inAt} into {@code out} at {@code outAt}. */
    static void row(MemorySegment in, long inAt, MemorySegment out, long outAt, float[] w, float eps) {
        int n = w.length, i = 0;
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        for (int end = n - n % (4 * LANES); i < end; i += 4 * LANES) {
            FloatVector v0 = FloatVector.fromMemorySegment(S, in, inAt + 4L * i, LE);
            FloatVector v1 = FloatVector.fromMemorySegment(S, in, inAt + 4L * (i + LANES), LE);
            FloatVector v2 = FloatVector.fromMemorySegment(S, in, inAt + 4L * (i + 2 * LANES), LE);
            FloatVector v3 = FloatVector.fromMemorySegment(S, in, inAt + 4L * (i + 3 * LANES), LE);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (int end = n - n % LANES; i < end; i += LANES) {
            FloatVector v = FloatVector.fromMemorySegment(S, in, inAt + 4L * i, LE);
            s0 = v.fma(v, s0);
        }
        float sum = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float v = in.get(Tensor.F32, inAt + 4L * i);
            sum = Math.fma(v, v, sum);
        }
        float inv = (float) (1.0 / Math.sqrt(sum / n + eps));
        i = 0;
        for (int end = n - n % LANES; i < end; i += LANES) {
            FloatVector v = FloatVector.fromMemorySegment(S, in, inAt + 4L * i, LE);
            v.mul(inv).mul(FloatVector.fromArray(S, w, i)).intoMemorySegment(out, outAt + 4L * i, LE);
        }
        for (; i < n; i++) out.set(Tensor.F32, outAt + 4L * i, in.get(Tensor.F32, inAt + 4L * i) * inv * w[i]);
    }
}
