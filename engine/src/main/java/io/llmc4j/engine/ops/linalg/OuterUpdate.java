package io.llmc4j.engine.ops.linalg;

import io.llmc4j.engine.ops.memory.Widening;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The rank-1 update inside GPTQ's column loop, {@code W[r, from:to] -= e[r]·h[from:to]} over a band of
 * rows, as a Vector API loop along each row (the product is rounded, then subtracted: no FMA, as
 * torch's outer product and in-place subtraction round). Bit-identical to
 * {@link LinalgReference#subtractOuter}. Stateless.
 */
public final class OuterUpdate {
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int LANES = Widening.LANES;

    private OuterUpdate() {
    }

    /** {@code w[wAt + r·ld + c] -= e[eAt + r]·h[hAt + c]} for {@code r < rows}, {@code from <= c < to}. */
    public static void subtractOuter(float[] w, int wAt, int ld, int rows, float[] e, int eAt, float[] h, int hAt, int from, int to) {
        for (int r = 0; r < rows; r++) {
            float er = e[eAt + r];
            int row = wAt + r * ld, c = from;
            FloatVector ev = FloatVector.broadcast(S, er);
            for (int end = to - (to - from) % LANES; c < end; c += LANES) {
                FloatVector product = FloatVector.fromArray(S, h, hAt + c).mul(ev);
                FloatVector.fromArray(S, w, row + c).sub(product).intoArray(w, row + c);
            }
            for (; c < to; c++) w[row + c] -= er * h[hAt + c];
        }
    }
}
