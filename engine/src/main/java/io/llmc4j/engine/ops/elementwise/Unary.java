package io.llmc4j.engine.ops.elementwise;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.memory.FloatData;
import io.llmc4j.engine.ops.memory.Widening;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise maps on the Vector API: scaling, SiLU ({@code x·sigmoid(x)}) and GELU with the tanh
 * approximation (Hugging Face {@code gelu_pytorch_tanh}: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}).
 * GELU is evaluated as {@code x / (1 + e^(−2u))} with {@code u = √(2/π)·(x + 0.044715·x³)}, which
 * equals {@code 0.5·x·(1 + tanh(u))}. Inputs: any dtype and layout; results: new contiguous F32 heap
 * tensors. Scaling is exact (one float multiplication); SiLU and GELU use {@link VectorMath#exp}
 * (reproducible bits, whatever the JIT state) and match the double-precision reference to a few
 * ulps. Thread-safe.
 */
public final class Unary {
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;
    private static final int CHUNK = 1 << 14;
    private static final WindowPool WINDOWS = new WindowPool(2);
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_CUBIC = 0.044715f;

    private Unary() {
    }

    /** a · factor. */
    public static Tensor scale(Tensor a, float factor, Parallel parallel) {
        return map(a, parallel, (x, xAt, z, zAt, count) -> {
            int i = 0;
            for (int end = count - count % LANES; i < end; i += LANES) FloatVector.fromArray(S, x, xAt + i).mul(factor).intoArray(z, zAt + i);
            for (; i < count; i++) z[zAt + i] = x[xAt + i] * factor;
        });
    }

    /**
     * cap · tanh(x / cap) (Gemma 2's logit soft-capping): a scalar loop over {@link Math#tanh} in
     * double, applied once per forward to the logits, so not worth a vector polynomial.
     */
    public static Tensor softcap(Tensor x, float cap, Parallel parallel) {
        if (!(cap > 0)) throw new IllegalArgumentException("softcap: cap must be positive, got " + cap);
        return map(x, parallel, (in, inAt, out, outAt, count) -> {
            for (int i = 0; i < count; i++) out[outAt + i] = (float) (cap * Math.tanh(in[inAt + i] / cap));
        });
    }

    /** x · sigmoid(x) = x / (1 + e^(−x)). */
    public static Tensor silu(Tensor x, Parallel parallel) {
        return map(x, parallel, (in, inAt, out, outAt, count) -> {
            VectorMath.exp(in, inAt, -1f, 0f, out, outAt, count);   // out = e^(−x) (arrays only: see VectorMath.exp)
            divideByOnePlus(in, inAt, out, outAt, count);
        });
    }

    /** GELU, tanh approximation. */
    public static Tensor gelu(Tensor x, Parallel parallel) {
        return map(x, parallel, (in, inAt, out, outAt, count) -> {
            int i = 0;
            for (int end = count - count % LANES; i < end; i += LANES) {
                FloatVector v = FloatVector.fromArray(S, in, inAt + i);
                v.mul(v).mul(v).mul(GELU_CUBIC).add(v).mul(SQRT_2_OVER_PI).intoArray(out, outAt + i);
            }
            for (; i < count; i++) {
                float v = in[inAt + i];
                out[outAt + i] = (v * v * v * GELU_CUBIC + v) * SQRT_2_OVER_PI;
            }
            VectorMath.exp(out, outAt, -2f, 0f, out, outAt, count);   // out = e^(−2·inner) (arrays only: see VectorMath.exp)
            divideByOnePlus(in, inAt, out, outAt, count);
        });
    }

    /** {@code out[i] = in[i] / (1 + out[i])}: the last step of SiLU and of GELU, with e^(…) in out. */
    private static void divideByOnePlus(float[] in, int inAt, float[] out, int outAt, int count) {
        int i = 0;
        for (int end = count - count % LANES; i < end; i += LANES)
            FloatVector.fromArray(S, in, inAt + i).div(FloatVector.fromArray(S, out, outAt + i).add(1f)).intoArray(out, outAt + i);
        for (; i < count; i++) out[outAt + i] = in[inAt + i] / (1 + out[outAt + i]);
    }

    /** A kernel over {@code count} floats: input {@code in[inAt ...]}, output {@code out[outAt ...]}. */
    @FunctionalInterface
    private interface Span {
        void apply(float[] in, int inAt, float[] out, int outAt, int count);
    }

    private static Tensor map(Tensor a, Parallel parallel, Span span) {
        Tensor out = Tensor.allocate(DType.F32, a.shape().toArray());
        long n = a.elementCount();
        if (n == 0) return out;
        FloatData x = FloatData.of(TensorConversion.contiguousFloat(a, parallel)), z = FloatData.of(out);
        parallel.forEach(Parallel.chunkCount(n, CHUNK), chunk -> {
            Window[] windows = WINDOWS.get();
            Window in = windows[0], target = windows[1];
            long start = (long) chunk * CHUNK;
            int count = (int) Math.min(CHUNK, n - start);
            x.read(start, count, in);
            z.writable(start, count, target);
            span.apply(in.array(), in.offset(), target.array(), target.offset(), count);
            z.commit(start, count, target);
        });
        return out;
    }
}
