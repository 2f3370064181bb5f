package io.llmc4j.engine.ops.accel;

import io.llmc4j.engine.ops.Parallel;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.ops.gemm.Gemm;
import io.llmc4j.engine.ops.reduce.AxisReduction;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The CPU {@link Accelerator}: the Vector API GEMM and reductions on a {@link Parallel} pool. This
 * is the reference implementation device backends are checked against; it supports every
 * {@link Reduction}. Thread-safe. Results are bit-identical for any pool size.
 *
 * <p>Ownership: built on a borrowed pool ({@link #CpuAccelerator(Parallel)}), {@link #close()}
 * leaves the pool alone; built by {@link #withThreads(int)}, it owns its pool and closes it.
 */
public final class CpuAccelerator implements Accelerator {
    private final Parallel parallel;
    private final boolean ownsPool;

    /** An accelerator running on {@code parallel}, which stays owned by the caller. */
    public CpuAccelerator(Parallel parallel) {
        this(parallel, false);
    }

    private CpuAccelerator(Parallel parallel, boolean ownsPool) {
        if (parallel == null) throw new IllegalArgumentException("CpuAccelerator needs a Parallel pool");
        this.parallel = parallel;
        this.ownsPool = ownsPool;
    }

    /** An accelerator with its own pool of {@code threads} threads, closed with it. */
    public static CpuAccelerator withThreads(int threads) {
        return new CpuAccelerator(new Parallel(threads), true);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return Gemm.matmul(a, b, parallel);
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return Gemm.linear(x, weight, bias, parallel);
    }

    @Override
    public Tensor batchedMatmul(Tensor a, Tensor b) {
        return Gemm.batchedMatmul(a, b, parallel);
    }

    @Override
    public Tensor reduce(Reduction reduction, Tensor x, int axis) {
        return AxisReduction.apply(reduction, x, axis, parallel);
    }

    /** Computes XᵀX with {@link Gemm#matmul} (a transposed view, no copy), then combines row by row. */
    @Override
    public void gramUpdate(Tensor x, Tensor h, float decay, float scale) {
        Tensor rows = GramChecks.rows(x, h);
        Tensor gram = Gemm.matmul(rows.transpose(0, 1), rows, parallel);
        GramChecks.combine(h, gram, decay, scale);
    }

    @Override
    public void close() {
        if (ownsPool) parallel.close();
    }

    @Override
    public String toString() {
        return "CpuAccelerator(" + parallel + ")";
    }
}
