package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.memory.Window;
import io.llmc4j.engine.ops.memory.WindowPool;

/**
 * The cache-blocked, packed GEMM loop nest (Goto / BLIS): {@code C[M, N] += A[M, K] · B[K, N]}.
 *
 * <pre>
 *   for each k block pc of KC (in order):
 *     step 0:  pack A[:, pc] for every row block (MC × KC, ~400 KB each, L2)  +  pack B block 0
 *     step c:  multiply B block c−1  +  pack B block c  (NC columns, two panel buffers)
 *       multiply = parallel over (row block) × (group of panels):
 *         for each panel (KC × NR):  for each MR-row sliver: MicroKernel → tile → C
 * </pre>
 *
 * A is packed once per k block and shared by every column block; B is packed exactly once, each
 * column block's packing overlapping the previous block's multiplication. Tasks are cut from the
 * sizes only; and since every C element is computed by one micro-kernel call per k block, in k
 * order, the result does not depend on the thread count or on which thread ran which task.
 *
 * <p>Edge tiles (fewer than MR rows or NR columns left) run the same kernel on zero-padded panels and
 * add only their valid part to C, so they round exactly like full tiles. The packed buffers are
 * scratch of the calling thread (about 4 bytes × (M·KC + 2·NC·KC)), kept for reuse up to 32 MB each;
 * each thread has its own tile and packing stage, allocated once.
 *
 * <p>Blocking was tuned on AMD Zen 5 (1 MB L2): a deep KC (whole K up to 2048) means fewer passes
 * over C, which cost more than the larger panels do (measured: KC 256 → 2048 took one thread from
 * 140 to 180 GFLOPS on 512×2048×2048).
 */
final class GemmDriver {
    /** Depth of a k block. */
    static final int KC = 2048;
    /** Row stride of packed A: KC plus one cache line, so that the rows do not share an L1 set. */
    static final int A_STRIDE = KC + 16;
    /** Rows of A per block. */
    static final int MC = 4 * MicroKernel.MR;
    /** Columns of B per block. */
    static final int NC = 16 * MicroKernel.NR;
    private static final int PANELS_PER_TASK = 4;
    private static final int MAX_KEPT_FLOATS = 1 << 23;

    private static final ThreadLocal<float[]> PACKED_A = new ThreadLocal<>();
    private static final ThreadLocal<float[]> PACKED_B = new ThreadLocal<>();
    /** Per-thread task scratch: staging for packing, the tile of a multiplication (reused, never reallocated). */
    private static final WindowPool STAGING = new WindowPool(1);
    private static final ThreadLocal<float[]> STAGE = ThreadLocal.withInitial(() -> new float[Packing.stageFloats()]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MicroKernel.MR * MicroKernel.NR]);

    private GemmDriver() {
    }

    /** {@code C += A · B}: a is {@code [M, K]}, b is {@code [K, N]}, C row i starts at {@code c[cAt + i·ldc]}. */
    static void multiply(MatrixOperand a, MatrixOperand b, float[] c, int cAt, int ldc, Parallel parallel) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (b.rows() != k) throw new IllegalArgumentException("GEMM inner sizes differ: A has " + k + " columns, B has " + b.rows() + " rows");
        if (m == 0 || n == 0 || k == 0) return;
        int rowBlocks = (m + MC - 1) / MC, columnBlocks = (n + NC - 1) / NC;
        int bufferFloats = (Math.min(n, NC) + MicroKernel.NR - 1) / MicroKernel.NR * KC * MicroKernel.NR;
        Plan plan = new Plan(a, b, c, cAt, ldc, rowBlocks, columnBlocks,
                scratch(PACKED_A, Math.multiplyExact(rowBlocks * MC, A_STRIDE)), scratch(PACKED_B, 2 * bufferFloats), bufferFloats);
        for (int pc = 0; pc < k; pc += KC)
            for (int step = 0; step <= columnBlocks; step++) plan.step(pc, Math.min(KC, k - pc), step, parallel);
    }

    /** The operands, buffers and task layout of one multiplication. */
    private record Plan(MatrixOperand a, MatrixOperand b, float[] c, int cAt, int ldc, int rowBlocks, int columnBlocks,
                        float[] packedA, float[] panels, int bufferFloats) {

        int panelCount(int columnBlock) {
            return (Math.min(NC, b.cols() - columnBlock * NC) + MicroKernel.NR - 1) / MicroKernel.NR;
        }

        int groups(int columnBlock) {
            return (panelCount(columnBlock) + PANELS_PER_TASK - 1) / PANELS_PER_TASK;
        }

        /** Step 0 packs A and B block 0; step s ≥ 1 multiplies B block s−1 and packs block s (if any). */
        void step(int pc, int kc, int step, Parallel parallel) {
            int packA = step == 0 ? rowBlocks : 0;
            int packB = step < columnBlocks ? groups(step) : 0;
            int multiply = step > 0 ? rowBlocks * groups(step - 1) : 0;
            parallel.forEach(packA + packB + multiply, t -> {
                if (t < packA) packA(pc, kc, t);
                else if (t < packA + packB) packB(pc, kc, step, t - packA);
                else multiply(kc, step - 1, (t - packA - packB) / groups(step - 1), (t - packA - packB) % groups(step - 1));
            });
        }

        private void packA(int pc, int kc, int rowBlock) {
            int i0 = rowBlock * MC, rows = Math.min(MC, a.rows() - i0);
            int padded = (rows + MicroKernel.MR - 1) / MicroKernel.MR * MicroKernel.MR;
            Packing.packA(a, i0, rows, pc, kc, packedA, rowBlock * MC * A_STRIDE, padded, STAGING.first());
        }

        private void packB(int pc, int kc, int columnBlock, int group) {
            int buffer = (columnBlock & 1) * bufferFloats;
            int first = group * PANELS_PER_TASK, last = Math.min(panelCount(columnBlock), first + PANELS_PER_TASK);
            float[] stage = STAGE.get();
            Window staging = STAGING.first();
            for (int p = first; p < last; p++) {
                int j = columnBlock * NC + p * MicroKernel.NR;
                Packing.packB(b, pc, kc, j, Math.min(MicroKernel.NR, b.cols() - j), panels, buffer + p * KC * MicroKernel.NR, stage, staging);
            }
        }

        private void multiply(int kc, int columnBlock, int rowBlock, int group) {
            int m = a.rows(), i0 = rowBlock * MC, slivers = (Math.min(MC, m - i0) + MicroKernel.MR - 1) / MicroKernel.MR;
            int buffer = (columnBlock & 1) * bufferFloats;
            float[] tile = TILE.get();
            int first = group * PANELS_PER_TASK, last = Math.min(panelCount(columnBlock), first + PANELS_PER_TASK);
            for (int p = first; p < last; p++) {
                int j = columnBlock * NC + p * MicroKernel.NR, cols = Math.min(MicroKernel.NR, b.cols() - j);
                int bAt = buffer + p * KC * MicroKernel.NR;
                for (int s = 0; s < slivers; s++) {
                    int row = i0 + s * MicroKernel.MR, rows = Math.min(MicroKernel.MR, m - row);
                    MicroKernel.multiply(packedA, (i0 + s * MicroKernel.MR) * A_STRIDE, panels, bAt, kc, tile);
                    MicroKernel.addTile(tile, c, cAt + row * ldc + j, ldc, rows, cols);
                }
            }
        }
    }

    /** The thread's scratch of at least {@code floats}; buffers above {@value #MAX_KEPT_FLOATS} floats are not kept. */
    private static float[] scratch(ThreadLocal<float[]> slot, int floats) {
        float[] buffer = slot.get();
        if (buffer != null && buffer.length >= floats) return buffer;
        buffer = new float[floats];
        if (floats <= MAX_KEPT_FLOATS) slot.set(buffer);
        return buffer;
    }
}
