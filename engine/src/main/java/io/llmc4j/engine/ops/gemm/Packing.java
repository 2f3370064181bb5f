package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.memory.Window;
import java.util.Arrays;

/**
 * Copies GEMM operands into the float layouts the {@link MicroKernel} reads, converting BF16/F16 to
 * F32 on the way (only a block at a time is ever converted, never a whole weight).
 *
 * <pre>
 *   packed A block (MC × KC):  row i of the block at dst[i·A_STRIDE …], k contiguous; rows past M are zero
 *   packed B panel (KC × NR):  dst[k·NR + c] = B[k0 + k, j0 + c]; columns past N are zero
 * </pre>
 *
 * Rows contiguous along k (A, or B given as a Linear weight {@code [out, in]} = Bᵀ) are read with
 * bulk copies/conversions; weight columns of B are then transposed 16×16 in registers; other layouts
 * fall back to element copies. Stateless, thread-safe (callers pass their own scratch).
 */
final class Packing {
    /** Depth of the weight slices staged before a transpose. */
    private static final int STAGE_DEPTH = 256;

    private Packing() {
    }

    /** Packs {@code a[row0 .. row0+rows, k0 .. k0+kc]} at {@code dst[at …]}, zeroing rows up to {@code paddedRows}. */
    static void packA(MatrixOperand a, int row0, int rows, int k0, int kc, float[] dst, int at, int paddedRows, Window staging) {
        final int stride = GemmDriver.A_STRIDE;
        if (a.colStride() == 1) {
            for (int i = 0; i < rows; i++) a.data().readInto(a.index(row0 + i, k0), kc, dst, at + i * stride, staging);
        } else {
            for (int k = 0; k < kc; k++)
                for (int i = 0; i < rows; i++) dst[at + i * stride + k] = a.get(row0 + i, k0 + k);
        }
        for (int i = rows; i < paddedRows; i++) Arrays.fill(dst, at + i * stride, at + i * stride + kc, 0f);
    }

    /** All of {@code a}, row-major with row stride {@code a.cols()}, as floats. */
    static void packRows(MatrixOperand a, float[] dst) {
        int k = a.cols();
        Window staging = new Window();
        for (int i = 0; i < a.rows(); i++) {
            if (a.colStride() == 1) {
                a.data().readInto(a.index(i, 0), k, dst, i * k, staging);
            } else {
                for (int p = 0; p < k; p++) dst[i * k + p] = a.get(i, p);
            }
        }
    }

    /**
     * Packs {@code b[k0 .. k0+kc, j0 .. j0+cols]} as one panel at {@code dst[at …]}, zeroing columns
     * past {@code cols}. {@code stage} is scratch of at least {@code 16 · STAGE_DEPTH} floats.
     */
    static void packB(MatrixOperand b, int k0, int kc, int j0, int cols, float[] dst, int at, float[] stage, Window staging) {
        final int nr = MicroKernel.NR;
        if (b.colStride() == 1 && cols == nr) {
            for (int k = 0; k < kc; k++) b.data().readInto(b.index(k0 + k, j0), nr, dst, at + k * nr, staging);
            return;
        }
        int k = 0;
        if (b.rowStride() == 1 && cols == nr && Transpose16.SUPPORTED) {
            // 16 weight rows at a time: stage a slice of each (converted to float), then transpose.
            for (; k + 16 <= kc; k += STAGE_DEPTH) {
                int depth = Math.min(STAGE_DEPTH, (kc - k) / 16 * 16);
                for (int c = 0; c < nr; c += 16) {
                    for (int r = 0; r < 16; r++) b.data().readInto(b.index(k0 + k, j0 + c + r), depth, stage, r * STAGE_DEPTH, staging);
                    for (int kk = 0; kk < depth; kk += 16)
                        Transpose16.transpose(stage, kk, STAGE_DEPTH, dst, at + (k + kk) * nr + c, nr);
                }
                if (depth < STAGE_DEPTH) {
                    k += depth;
                    break;
                }
            }
        }
        packElements(b, k0 + k, kc - k, j0, cols, dst, at + k * nr);
    }

    /** Scratch floats {@link #packB} needs for staging. */
    static int stageFloats() {
        return 16 * STAGE_DEPTH;
    }

    private static void packElements(MatrixOperand b, int k0, int kc, int j0, int cols, float[] dst, int at) {
        final int nr = MicroKernel.NR;
        if (b.rowStride() == 1) {
            for (int c = 0; c < cols; c++)
                for (int k = 0; k < kc; k++) dst[at + k * nr + c] = b.get(k0 + k, j0 + c);
        } else {
            for (int k = 0; k < kc; k++)
                for (int c = 0; c < cols; c++) dst[at + k * nr + c] = b.get(k0 + k, j0 + c);
        }
        if (cols < nr)
            for (int k = 0; k < kc; k++) Arrays.fill(dst, at + k * nr + cols, at + (k + 1) * nr, 0f);
    }
}
