package io.llmc4j.engine.ops.elementwise;

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
 * Elementwise maps on the Vector API: scaling, SiLU ({@code x·sigmoid(x)}) and GELU with the tanh
 * approximation (Hugging Face {@code gelu_pytorch_tanh}: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}).
 * Inputs: any float dtype and layout; results: new contiguous F32 heap tensors. Scaling is exact
 * (one float multiplication); SiLU and GELU use the vector {@code EXP}/{@code TANH} operators and
 * match the double-precision reference to a few ulps. Thread-safe.
 */
public final class Unary {
    private static final VectorSpecies<Float> S = FloatLoads.SPECIES;
    private static final int LANES = FloatLoads.LANES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final long CHUNK = 1 << 16;
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_CUBIC = 0.044715f;

    private Unary() {
    }

    /** a · factor. */
    public static Tensor scale(Tensor a, float factor, Parallel parallel) {
        return map(a, parallel, (x, xAt, z, zAt, count) -> {
            long i = 0;
            for (long end = count - count % LANES; i < end; i += LANES)
                FloatVector.fromMemorySegment(S, x, xAt + 4 * i, LE).mul(factor).intoMemorySegment(z, zAt + 4 * i, LE);
            for (; i < count; i++) z.set(Tensor.F32, zAt + 4 * i, x.get(Tensor.F32, xAt + 4 * i) * factor);
        });
    }

    /** x · sigmoid(x) = x / (1 + e^(−x)). */
    public static Tensor silu(Tensor x, Parallel parallel) {
        return map(x, parallel, (in, inAt, out, outAt, count) -> {
            long i = 0;
            for (long end = count - count % LANES; i < end; i += LANES) {
                FloatVector v = FloatVector.fromMemorySegment(S, in, inAt + 4 * i, LE);
                v.div(VectorMath.exp(v.neg()).add(1f)).intoMemorySegment(out, outAt + 4 * i, LE);
            }
            for (; i < count; i++) {
                float v = in.get(Tensor.F32, inAt + 4 * i);
                out.set(Tensor.F32, outAt + 4 * i, v / (VectorMath.exp(-v) + 1f));
            }
        });
    }

    /** GELU, tanh approximation: 0.5·v·(1 + tanh u) computed as v / (1 + e^(−2u)), which avoids cancellation near tanh u = −1. */
    public static Tensor gelu(Tensor x, Parallel parallel) {
        return map(x, parallel, (in, inAt, out, outAt, count) -> {
            long i = 0;
            for (long end = count - count % LANES; i < end; i += LANES) {
                FloatVector v = FloatVector.fromMemorySegment(S, in, inAt + 4 * i, LE);
                FloatVector inner = v.mul(v).mul(v).mul(GELU_CUBIC).add(v).mul(SQRT_2_OVER_PI);
                v.div(VectorMath.exp(inner.mul(-2f)).add(1f)).intoMemorySegment(out, outAt + 4 * i, LE);
            }
            for (; i < count; i++) {
                float v = in.get(Tensor.F32, inAt + 4 * i);
                float inner = (v * v * v * GELU_CUBIC + v) * SQRT_2_OVER_PI;
                out.set(Tensor.F32, outAt + 4 * i, v / (VectorMath.exp(inner * -2f) + 1f));
            }
        });
    }

    /** A kernel over {@code count} contiguous floats: input at byte {@code inAt}, output at {@code outAt}. */
    @FunctionalInterface
    private interface Span {
        void apply(MemorySegment in, long inAt, MemorySegment out, long outAt, long count);
    }

    private static Tensor map(Tensor a, Parallel parallel, Span span) {
        Tensor in = TensorConversion.contiguousF32(a, parallel);
        Tensor out = Tensor.allocate(DType.F32, a.shape().toArray());
        long n = a.elementCount();
        MemorySegment x = in.segment(), z = out.segment();
        long xAt = in.byteOffset();
        parallel.forEach(Parallel.chunkCount(n, CHUNK), chunk -> {
            long first = chunk * CHUNK, count = Math.min(CHUNK, n - first);
            span.apply(x, xAt + 4 * first, z, 4 * first, count);
        });
        return out;
    }
}
