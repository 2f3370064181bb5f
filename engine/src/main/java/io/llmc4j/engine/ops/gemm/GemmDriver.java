package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.memory.Window;

/**
 * The cache-blocked, packed GEMM loop nest (Goto / BLIS): {@code C[M, N] += A[M, K] · B[K, N]}.
 *
 * <pre>
 *   for each column block jc of NC columns:
 *     for each k block pc of KC (in order):          B block → packed panels (shared, ~2 MB, L3)
 *       parallel over (row block of MC rows) × (group of panels):
 *         pack the A block (MC × KC, ~192 KB, L2)
 *         for each panel (KC × NR, 32 KB, L1):  for each MR-row sliver: MicroKernel
 * </pre>
 *
 * Packing the next k block's B panels runs in the same parallel step as the multiplication of the
 * current one (two panel buffers), so each k block costs one fork-join. Tasks are cut from the sizes
 * only; and since every C element is computed by one micro-kernel call per k block, in k order, the
 * result does not depend on the thread count or on which thread ran which task.
 *
 * <p>Edge tiles (fewer than MR rows or NR columns left) run the same kernel on zero-padded panels and
 * add only their valid part to C, so they round exactly like full tiles. Scratch buffers are per
 * thread and reused.
 */
final class GemmDriver {
    /** Depth of a k block; also the row stride of packed A. */
    static final int KC = 2048;
    /** Row stride of packed A: KC plus one cache line, so that the rows do not share an L1 set. */
    static final int A_STRIDE = KC + 16;
    /** Rows of A per block. */
    static final int MC = 4 * MicroKernel.MR;
    /** Columns of B per block. */
    static final int NC = 16 * MicroKernel.NR;
    private static final int PANELS_PER_PACK_TASK = 4;
    private static final int MIN_COMPUTE_TASKS = 8;

    private static final ThreadLocal<float[]> PACKED_A = new ThreadLocal<>();
    private static final ThreadLocal<float[]> PACKED_B = new ThreadLocal<>();
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MicroKernel.MR * MicroKernel.NR]);

    private GemmDriver() {
    }

    /** {@code C += A · B}: a is {@code [M, K]}, b is {@code [K, N]}, C row i starts at {@code c[cAt + i·ldc]}. */
    static void multiply(MatrixOperand a, MatrixOperand b, float[] c, int cAt, int ldc, Parallel parallel) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (b.rows() != k) throw new IllegalArgumentException("GEMM inner sizes differ: A has " + k + " columns, B has " + b.rows() + " rows");
        if (m == 0 || n == 0 || k == 0) return;
        int kBlocks = (k + KC - 1) / KC;
        int maxPanels = (Math.min(n, NC) + MicroKernel.NR - 1) / MicroKernel.NR;
        int bufferFloats = maxPanels * KC * MicroKernel.NR;
        float[] both = scratch(PACKED_B, 2 * bufferFloats);
        for (int jc = 0; jc < n; jc += NC) {
            Block block = new Block(a, b, c, cAt, ldc, jc, Math.min(NC, n - jc), both, bufferFloats);
            for (int step = 0; step <= kBlocks; step++) block.step(step, kBlocks, parallel);
        }
    }

    /** One column block: its panel buffers and its task layout. */
    private record Block(MatrixOperand a, MatrixOperand b, float[] c, int cAt, int ldc, int jc, int nc,
                         float[] panels, int bufferFloats) {

        int panelCount() {
            return (nc + MicroKernel.NR - 1) / MicroKernel.NR;
        }

        /** Packs k block {@code step} (if any) while multiplying k block {@code step - 1} (if any). */
        void step(int step, int kBlocks, Parallel parallel) {
            int panelCount = panelCount();
            int packTasks = step < kBlocks ? (panelCount + PANELS_PER_PACK_TASK - 1) / PANELS_PER_PACK_TASK : 0;
            int rowBlocks = (a.rows() + MC - 1) / MC;
            int groups = rowBlocks >= MIN_COMPUTE_TASKS ? 1 : Math.min(panelCount, (MIN_COMPUTE_TASKS + rowBlocks - 1) / rowBlocks);
            int panelsPerGroup = (panelCount + groups - 1) / groups;
            groups = (panelCount + panelsPerGroup - 1) / panelsPerGroup;
            int computeTasks = step > 0 ? rowBlocks * groups : 0;
            int groupCount = groups;
            parallel.forEach(packTasks + computeTasks, t -> {
                if (t < packTasks) pack(step, t);
                else multiply(step - 1, (t - packTasks) / groupCount, (t - packTasks) % groupCount, panelsPerGroup);
            });
        }

        private void pack(int kBlock, int task) {
            int pc = kBlock * KC, kc = Math.min(KC, a.cols() - pc);
            int first = task * PANELS_PER_PACK_TASK, last = Math.min(panelCount(), first + PANELS_PER_PACK_TASK);
            int buffer = (kBlock & 1) * bufferFloats;
            float[] stage = new float[Packing.stageFloats()];
            Window staging = new Window();
            for (int p = first; p < last; p++) {
                int j = jc + p * MicroKernel.NR;
                Packing.packB(b, pc, kc, j, Math.min(MicroKernel.NR, b.cols() - j), panels, buffer + p * KC * MicroKernel.NR, stage, staging);
            }
        }

        private void multiply(int kBlock, int rowBlock, int group, int panelsPerGroup) {
            int pc = kBlock * KC, kc = Math.min(KC, a.cols() - pc);
            int m = a.rows(), i0 = rowBlock * MC, mc = Math.min(MC, m - i0);
            int slivers = (mc + MicroKernel.MR - 1) / MicroKernel.MR;
            float[] packedA = scratch(PACKED_A, MC * A_STRIDE);
            Packing.packA(a, i0, mc, pc, kc, packedA, slivers * MicroKernel.MR, new Window());
            int buffer = (kBlock & 1) * bufferFloats;
            float[] tile = TILE.get();
            int first = group * panelsPerGroup, last = Math.min(panelCount(), first + panelsPerGroup);
            for (int p = first; p < last; p++) {
                int j = jc + p * MicroKernel.NR, cols = Math.min(MicroKernel.NR, b.cols() - j);
                int bAt = buffer + p * KC * MicroKernel.NR;
                for (int s = 0; s < slivers; s++) {
                    int row = i0 + s * MicroKernel.MR, rows = Math.min(MicroKernel.MR, m - row);
                    MicroKernel.multiply(packedA, s * MicroKernel.MR * A_STRIDE, panels, bAt, kc, tile);
                    MicroKernel.addTile(tile, c, cAt + row * ldc + j, ldc, rows, cols);
                }
            }
        }
    }

    private static float[] scratch(ThreadLocal<float[]> slot, int floats) {
        float[] buffer = slot.get();
        if (buffer == null || buffer.length < floats) {
            buffer = new float[floats];
            slot.set(buffer);
        }
        return buffer;
    }
}
