package io.llmc4j.engine.ops.gemm;

import io.llmc4j.engine.ops.convert.DTypeConversions;
import io.llmc4j.engine.ops.convert.FloatLoads;
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
 * A operand rows that are contiguous along k are bulk-converted; B panels whose source is contiguous
 * along k (a Linear weight {@code [out, in]}, seen as Bᵀ) are transposed 16×16 in registers; other
 * layouts fall back to element copies. Stateless, thread-safe.
 */
final class Packing {
    private Packing() {
    }

    /** Packs {@code a[row0 .. row0+rows, k0 .. k0+kc]} into {@code dst}, zeroing rows up to {@code paddedRows}. */
    static void packA(MatrixOperand a, int row0, int rows, int k0, int kc, float[] dst, int paddedRows) {
        if (a.colStride() == 1) {
            for (int i = 0; i < rows; i++)
                DTypeConversions.toF32(a.dtype(), a.segment(), a.byteAt(row0 + i, k0), dst, i * GemmDriver.A_STRIDE, kc);
        } else {
            for (int k = 0; k < kc; k++)
                for (int i = 0; i < rows; i++) dst[i * GemmDriver.A_STRIDE + k] = a.get(row0 + i, k0 + k);
        }
        for (int i = rows; i < paddedRows; i++) Arrays.fill(dst, i * GemmDriver.A_STRIDE, i * GemmDriver.A_STRIDE + kc, 0f);
    }

    /** All of {@code a}, row-major with row stride {@code a.cols()}, as floats. */
    static void packRows(MatrixOperand a, float[] dst) {
        int k = a.cols();
        for (int i = 0; i < a.rows(); i++) {
            if (a.colStride() == 1) {
                DTypeConversions.toF32(a.dtype(), a.segment(), a.byteAt(i, 0), dst, i * k, k);
            } else {
                for (int p = 0; p < k; p++) dst[i * k + p] = a.get(i, p);
            }
        }
    }

    /** Packs {@code b[k0 .. k0+kc, j0 .. j0+cols]} as one panel at {@code dst[at …]}, zeroing columns past {@code cols}. */
    static void packB(MatrixOperand b, int k0, int kc, int j0, int cols, float[] dst, int at) {
        final int nr = MicroKernel.NR;
        if (b.colStride() == 1 && cols == nr) {
            for (int k = 0; k < kc; k++) {
                long src = b.byteAt(k0 + k, j0);
                for (int v = 0; v < nr; v += FloatLoads.LANES)
                    FloatLoads.load(b.dtype(), b.segment(), src + (long) v * b.dtype().byteSize()).intoArray(dst, at + k * nr + v);
            }
            return;
        }
        int k = 0;
        if (b.rowStride() == 1 && cols == nr && Transpose16.SUPPORTED) {
            long columnBytes = b.colStride() * b.dtype().byteSize();
            for (; k + 16 <= kc; k += 16)
                for (int c = 0; c < nr; c += 16)
                    Transpose16.transpose(b.dtype(), b.segment(), b.byteAt(k0 + k, j0 + c), columnBytes, dst, at + k * nr + c, nr);
        }
        packElements(b, k0 + k, kc - k, j0, cols, dst, at + k * nr);
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
