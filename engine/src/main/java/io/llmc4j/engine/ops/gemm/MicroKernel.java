package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.memory.Widening;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled GEMM micro-kernel: {@code tile[MR × NR] = A[MR × kc] · B[kc × NR]} with
 * {@code MR = 12} rows and {@code NR} = two float vectors (32 columns with AVX-512), followed by
 * {@link #addTile}, which adds the valid part of the tile into C.
 *
 * <p>Per step of k the kernel loads one row of the packed B panel (two vectors), broadcasts the
 * 12 A values of that column and issues 24 independent FMAs into 24 accumulator registers,
 * which hide the FMA latency and keep both FMA ports busy; the accumulators stay in registers for
 * the whole k loop.
 *
 * <p>Two C2 pitfalls shape this code (each measured at 5–15× slower): every accumulator starts
 * from its own {@code zero()} (sharing one initial vector makes C2 box the vectors inside the
 * loop), and the accumulators leave through plain array stores into {@code tile} (memory-segment
 * stores of all of them exceed C2's inlining node budget; a call that is not inlined boxes its
 * vector arguments, again inside the loop).
 *
 * <p>Layouts (see {@link Packing}): A row r at {@code packedA[aAt + r·A_STRIDE + k]}, B at
 * {@code packedB[bAt + k·NR + j]}, tile row r at {@code tile[r·NR]}. Each sum runs over k in
 * increasing order with one FMA per term, so a C element's value depends only on the data and the
 * k blocking, never on threads. Stateless; callers own the arrays.
 */
final class MicroKernel {
    /** Rows of C per tile. */
    static final int MR = 12;
    /** Columns of C per tile: two float vectors. */
    static final int NR = 2 * Widening.LANES;
    private static final int LANES = Widening.LANES;
    private static final VectorSpecies<Float> S = Widening.SPECIES;
    private static final int A_STRIDE = GemmDriver.A_STRIDE;

    private MicroKernel() {
    }

    /** {@code tile = A · B} over {@code kc} steps of k. */
    static void multiply(float[] packedA, int aAt, float[] packedB, int bAt, int kc, float[] tile) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S), c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S), c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int ai = aAt + k, bi = bAt + k * NR;
            FloatVector b0 = FloatVector.fromArray(S, packedB, bi);
            FloatVector b1 = FloatVector.fromArray(S, packedB, bi + LANES);
            FloatVector a0 = FloatVector.broadcast(S, packedA[ai + 0 * A_STRIDE]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, packedA[ai + 1 * A_STRIDE]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, packedA[ai + 2 * A_STRIDE]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, packedA[ai + 3 * A_STRIDE]);
            c3_0 = a3.fma(b0, c3_0);
            c3_1 = a3.fma(b1, c3_1);
            FloatVector a4 = FloatVector.broadcast(S, packedA[ai + 4 * A_STRIDE]);
            c4_0 = a4.fma(b0, c4_0);
            c4_1 = a4.fma(b1, c4_1);
            FloatVector a5 = FloatVector.broadcast(S, packedA[ai + 5 * A_STRIDE]);
            c5_0 = a5.fma(b0, c5_0);
            c5_1 = a5.fma(b1, c5_1);
            FloatVector a6 = FloatVector.broadcast(S, packedA[ai + 6 * A_STRIDE]);
            c6_0 = a6.fma(b0, c6_0);
            c6_1 = a6.fma(b1, c6_1);
            FloatVector a7 = FloatVector.broadcast(S, packedA[ai + 7 * A_STRIDE]);
            c7_0 = a7.fma(b0, c7_0);
            c7_1 = a7.fma(b1, c7_1);
            FloatVector a8 = FloatVector.broadcast(S, packedA[ai + 8 * A_STRIDE]);
            c8_0 = a8.fma(b0, c8_0);
            c8_1 = a8.fma(b1, c8_1);
            FloatVector a9 = FloatVector.broadcast(S, packedA[ai + 9 * A_STRIDE]);
            c9_0 = a9.fma(b0, c9_0);
            c9_1 = a9.fma(b1, c9_1);
            FloatVector a10 = FloatVector.broadcast(S, packedA[ai + 10 * A_STRIDE]);
            c10_0 = a10.fma(b0, c10_0);
            c10_1 = a10.fma(b1, c10_1);
            FloatVector a11 = FloatVector.broadcast(S, packedA[ai + 11 * A_STRIDE]);
            c11_0 = a11.fma(b0, c11_0);
            c11_1 = a11.fma(b1, c11_1);
        }
        c0_0.intoArray(tile, 0 * NR);
        c0_1.intoArray(tile, 0 * NR + LANES);
        c1_0.intoArray(tile, 1 * NR);
        c1_1.intoArray(tile, 1 * NR + LANES);
        c2_0.intoArray(tile, 2 * NR);
        c2_1.intoArray(tile, 2 * NR + LANES);
        c3_0.intoArray(tile, 3 * NR);
        c3_1.intoArray(tile, 3 * NR + LANES);
        c4_0.intoArray(tile, 4 * NR);
        c4_1.intoArray(tile, 4 * NR + LANES);
        c5_0.intoArray(tile, 5 * NR);
        c5_1.intoArray(tile, 5 * NR + LANES);
        c6_0.intoArray(tile, 6 * NR);
        c6_1.intoArray(tile, 6 * NR + LANES);
        c7_0.intoArray(tile, 7 * NR);
        c7_1.intoArray(tile, 7 * NR + LANES);
        c8_0.intoArray(tile, 8 * NR);
        c8_1.intoArray(tile, 8 * NR + LANES);
        c9_0.intoArray(tile, 9 * NR);
        c9_1.intoArray(tile, 9 * NR + LANES);
        c10_0.intoArray(tile, 10 * NR);
        c10_1.intoArray(tile, 10 * NR + LANES);
        c11_0.intoArray(tile, 11 * NR);
        c11_1.intoArray(tile, 11 * NR + LANES);
    }

    /** C rows {@code [0, rows)}, columns {@code [0, cols)} += tile; C row r starts at {@code c[cAt + r·ldc]}. */
    static void addTile(float[] tile, float[] c, int cAt, int ldc, int rows, int cols) {
        if (cols == NR) {
            for (int r = 0; r < rows; r++)
                for (int v = 0; v < NR; v += LANES) {
                    int at = cAt + r * ldc + v;
                    FloatVector.fromArray(S, c, at).add(FloatVector.fromArray(S, tile, r * NR + v)).intoArray(c, at);
                }
        } else {
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++) c[cAt + r * ldc + j] += tile[r * NR + j];
        }
    }
}
