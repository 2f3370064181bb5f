package io.llmc4j.engine.ops.elementwise;

import io.llmc4j.engine.ops.memory.Widening;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x and tanh in float, built only from IEEE-exact lane operations (add, mul, fma, compare, bit
 * moves), so every lane gives the same bits however HotSpot runs the code.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the Vector API computes transcendental lanes with
 * a native intrinsic once C2 compiles the loop and with a Java fallback before; the two differ in
 * the last bit, so results would depend on JIT timing (seen as 1-vs-4-thread differences).
 *
 * The same holds for float sums across lanes: use {@link #sum}, not {@code reduceLanes(ADD)}.
 *
 * <p>Method (Cephes {@code expf}): x = n·ln2 + r with n = rint(x·log2 e), |r| ≤ ln2/2;
 * e^r ≈ 1 + r + r²·P(r) with a degree-5 polynomial; e^x = e^r · 2^n. Relative error below 2·10⁻⁷
 * for x in [−86, 88.72]; below −86 the result is flushed to 0 (so e^−∞ = 0, and e^−86 ≈ 4·10⁻³⁸ is the smallest value), x ≥ 88.72 gives +∞, NaN stays NaN.
 * {@link #exp(float)} is the same computation on one value, bit-identical to a lane of
 * {@link #exp(FloatVector)}. Stateless.
 */
public final class VectorMath {
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 0x1.8p23f;
    private static final float MIN_INPUT = -86f;
    private static final float MAX_INPUT = 88.72283f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private VectorMath() {
    }

    /** e^x lane by lane. */
    public static FloatVector exp(FloatVector x) {
        VectorMask<Float> underflow = x.compare(VectorOperators.LT, MIN_INPUT);
        VectorMask<Float> overflow = x.compare(VectorOperators.GT, MAX_INPUT);
        FloatVector clamped = x.max(MIN_INPUT).min(MAX_INPUT);
        FloatVector n = clamped.mul(LOG2E).add(ROUND).sub(ROUND);          // round half to even, exact for |n| < 2^22
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), clamped).add(n.mul(-LN2_LO));
        FloatVector p = r.fma(FloatVector.broadcast(S, P0), FloatVector.broadcast(S, P1)).fma(r, FloatVector.broadcast(S, P2))
                .fma(r, FloatVector.broadcast(S, P3)).fma(r, FloatVector.broadcast(S, P4)).fma(r, FloatVector.broadcast(S, P5));
        FloatVector er = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n as 2^(n−1)·2: n reaches 128 just below the overflow bound, where 2^n itself is not a float.
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(126).lanewise(VectorOperators.LSHL, 23);
        FloatVector result = er.mul((FloatVector) bits.reinterpretAsFloats()).mul(2f);
        result = result.blend(0f, underflow).blend(Float.POSITIVE_INFINITY, overflow);
        return result.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** e^x for one value, bit-identical to a lane of {@link #exp(FloatVector)}. */
    public static float exp(float x) {
        if (Float.isNaN(x)) return x;
        if (x < MIN_INPUT) return 0f;
        if (x > MAX_INPUT) return Float.POSITIVE_INFINITY;
        float n = (x * LOG2E + ROUND) - ROUND;
        float r = Math.fma(n, -LN2_HI, x) + n * -LN2_LO;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P0, P1), r, P2), r, P3), r, P4), r, P5);
        float er = p * (r * r) + r + 1f;
        return er * Float.intBitsToFloat(((int) n + 126) << 23) * 2f;
    }

    /**
     * Σ lanes, added in lane order. Not {@code reduceLanes(ADD)}: its float sum order is unspecified
     * (C2 adds pairwise, the Java fallback in sequence), which would make results depend on JIT timing.
     */
    public static float sum(FloatVector v) {
        float total = 0f;
        for (float lane : v.toArray()) total += lane;
        return total;
    }

    /** tanh(x) = 1 − 2 / (e^(2x) + 1), lane by lane (saturates to ±1). */
    public static FloatVector tanh(FloatVector x) {
        return FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(exp(x.mul(2f)).add(1f)));
    }

    /** tanh for one value, bit-identical to a lane of {@link #tanh(FloatVector)}. */
    public static float tanh(float x) {
        return 1f - 2f / (exp(x * 2f) + 1f);
    }
}
