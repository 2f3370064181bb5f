package io.llmc4j.engine.ops.elementwise;

import io.llmc4j.engine.ops.memory.Widening;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane sums and {@code e^x} for float vectors (and scalars), built only from correctly rounded IEEE operations
 * (add, multiply, FMA, conversions), so that the result is the same bits whether the code runs
 * interpreted, C1- or C2-compiled, and the vector lanes agree exactly with the scalar version.
 *
 * <p>Why not {@code VectorOperators.EXP}: compiled, it calls the platform's short-vector math
 * library; interpreted, it falls back to {@code Math.exp} per lane. The two differ in the last bits,
 * which made kernel results depend on JIT warm-up (and broke bit-identical reruns).
 *
 * <p>{@link #sum} adds lanes in a fixed tree order for the same reason: {@code reduceLanes(ADD)}
 * may use any order, and compiled code and the interpreter do use different ones.
 *
 * <p>Exp method: {@code x = n·ln2 + r} (Cody–Waite split of ln2, |r| ≤ ln2/2), a degree-7 Taylor
 * polynomial for {@code e^r} (truncation error below 1e-8 relative) in Horner form with FMAs, and
 * scaling by {@code 2^n} in two exact steps so that subnormal results and overflow come out right.
 * Error: about 2 ulp. NaN in, NaN out; {@code +∞ → +∞}, {@code −∞ → 0}. Stateless, thread-safe.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final float LOG2_E = 1.44269504f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    private static final float ROUNDING = 0x1.8p23f;
    private static final float LOWEST = -104f;
    private static final float HIGHEST = 89f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    private static final VectorShuffle<Float>[] HALVES = halves();

    private VectorMath() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halves() {
        int lanes = S.length(), steps = Integer.numberOfTrailingZeros(lanes);
        VectorShuffle<Float>[] shuffles = new VectorShuffle[steps];
        for (int step = 0, width = lanes / 2; step < steps; step++, width /= 2) {
            int[] order = new int[lanes];
            for (int i = 0; i < lanes; i++) order[i] = i ^ width;
            shuffles[step] = VectorShuffle.fromArray(S, order, 0);
        }
        return shuffles;
    }

    /**
     * Σ lanes, as a fixed tree: lane i is first added to lane i + LANES/2, then the halves of what is
     * left, and so on. The same bits whether compiled or interpreted. Kernels use the array forms
     * ({@link #sumInPlace}, {@link #sum(float[], int, int, float[])}) instead, so that no vector is
     * passed to a call.
     */
    public static float sum(FloatVector v) {
        for (VectorShuffle<Float> swap : HALVES) v = v.add(v.rearrange(swap));
        return v.lane(0);
    }

    /**
     * The same fixed tree as {@link #sum(FloatVector)} over {@code lanes[at .. at + LANES)}, in scalar
     * code: bit-identical to summing those values as one vector.
     */
    public static float sum(float[] lanes, int at) {
        float[] partial = new float[S.length()];
        System.arraycopy(lanes, at, partial, 0, partial.length);
        return sumInPlace(partial, 0);
    }

    /**
     * {@link #sum(float[], int)} without a copy: the tree runs inside {@code lanes[at .. at + LANES)},
     * which it overwrites. For hot code that stores its accumulator vector ({@code intoArray}) and sums
     * it here, so that no vector is passed to a method C2 might not inline (a vector argument of a
     * call that is not inlined is boxed, and the boxed code runs many times slower).
     */
    public static float sumInPlace(float[] lanes, int at) {
        for (int width = S.length() / 2; width >= 1; width /= 2)
            for (int i = 0; i < width; i++) lanes[at + i] = lanes[at + i] + lanes[at + i + width];
        return lanes[at];
    }

    /**
     * Σ a[at + i] for i < count in a fixed order: whole vectors accumulated in order into one vector,
     * its lanes by {@link #sumInPlace} (through {@code lanes}, at least LANES long), then the tail one
     * element at a time. The loop stays in this method, so no vector crosses a call.
     */
    public static float sum(float[] a, int at, int count, float[] lanes) {
        FloatVector total = FloatVector.zero(S);
        int i = 0;
        for (int end = count - count % S.length(); i < end; i += S.length()) total = total.add(FloatVector.fromArray(S, a, at + i));
        total.intoArray(lanes, 0);
        float sum = sumInPlace(lanes, 0);
        for (; i < count; i++) sum += a[at + i];
        return sum;
    }

    /** e^x lane by lane (through {@link #exp(float[], int, float, float, float[], int, int)}; for tests and cold code). */
    public static FloatVector exp(FloatVector x) {
        float[] lanes = new float[S.length()];
        x.intoArray(lanes, 0);
        exp(lanes, 0, 1f, 0f, lanes, 0, lanes.length);
        return FloatVector.fromArray(S, lanes, 0);
    }

    /**
     * {@code dst[dstAt + i] = e^(scale · src[srcAt + i] − shift)} for {@code i < count}; src and dst
     * may be the same range. The whole computation sits in this loop, so no vector is passed to a
     * call that C2 might not inline (it boxes vector arguments; the boxed code runs many times
     * slower): kernels call this on arrays instead of calling {@link #exp(FloatVector)} per vector.
     */
    public static void exp(float[] src, int srcAt, float scale, float shift, float[] dst, int dstAt, int count) {
        int i = 0;
        for (int end = count - count % S.length(); i < end; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, src, srcAt + i).mul(scale).sub(shift);
            FloatVector clamped = x.max(LOWEST).min(HIGHEST);
            FloatVector n = clamped.fma(FloatVector.broadcast(S, LOG2_E), FloatVector.broadcast(S, ROUNDING)).sub(ROUNDING);
            FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HIGH), clamped);
            r = n.fma(FloatVector.broadcast(S, -LN2_LOW), r);
            FloatVector p = r.fma(FloatVector.broadcast(S, C7), FloatVector.broadcast(S, C6));
            p = p.fma(r, FloatVector.broadcast(S, C5));
            p = p.fma(r, FloatVector.broadcast(S, C4));
            p = p.fma(r, FloatVector.broadcast(S, C3));
            p = p.fma(r, FloatVector.broadcast(S, C2));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            IntVector whole = (IntVector) n.convert(VectorOperators.F2I, 0);
            IntVector half = whole.lanewise(VectorOperators.ASHR, 1);
            FloatVector first = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector second = whole.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(first).mul(second).intoArray(dst, dstAt + i);
        }
        for (; i < count; i++) dst[dstAt + i] = exp(src[srcAt + i] * scale - shift);
    }

    /** e^x, bit-identical to one lane of {@link #exp(FloatVector)}. */
    public static float exp(float x) {
        float clamped = Math.min(Math.max(x, LOWEST), HIGHEST);
        float n = Math.fma(clamped, LOG2_E, ROUNDING) - ROUNDING;
        float r = Math.fma(n, -LN2_HIGH, clamped);
        r = Math.fma(n, -LN2_LOW, r);
        float p = Math.fma(r, C7, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int whole = (int) n, half = whole >> 1;
        return p * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((whole - half + 127) << 23);
    }
}
