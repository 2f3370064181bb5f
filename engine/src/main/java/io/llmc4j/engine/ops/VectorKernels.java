package io.llmc4j.engine.ops;

import io.llmc4j.engine.ops.attention.CausalAttention;
import io.llmc4j.engine.ops.attention.Rope;
import io.llmc4j.engine.ops.convert.TensorConversion;
import io.llmc4j.engine.ops.elementwise.Binary;
import io.llmc4j.engine.ops.elementwise.ClampedSwiglu;
import io.llmc4j.engine.ops.elementwise.Unary;
import io.llmc4j.engine.ops.gather.EmbeddingGather;
import io.llmc4j.engine.ops.gemm.Gemm;
import io.llmc4j.engine.ops.norm.RmsNorm;
import io.llmc4j.engine.ops.norm.Softmax;
import io.llmc4j.engine.ops.reduce.AxisReduction;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The fast CPU {@link Kernels}: JDK Vector API kernels run on a {@link Parallel} pool. Shapes, dtypes
 * and results follow {@link Kernels} and match {@link ReferenceKernels} up to float rounding
 * (bit-exact for add, mul, scale, embedding, convert and max/min/abs-max reductions).
 *
 * <p>Determinism: every kernel cuts its work into tasks by problem size alone and combines partial
 * results in task order, so outputs are bit-identical whatever the pool's thread count.
 *
 * <p>Memory: heap tensors made by {@link Tensor#allocate(DType, long...)} (typed arrays) are read and
 * written in place through their arrays; native memory (mapped checkpoints, arenas) is staged
 * through small per-task arrays (see {@code memory.FloatData} for why). Results are new heap
 * tensors.
 *
 * <p>Ownership and threads: the pool is passed in and stays owned by the caller (close it after the
 * kernels are no longer used). Input segments are read from the pool's threads, so they must not be
 * confined to one thread: heap tensors, mapped files and {@code Arena.ofShared()} / {@code ofAuto()}
 * memory are fine, {@code Arena.ofConfined()} memory is not. Thread-safe.
 *
 * <pre>
 *   linear, matmul            → gemm.Gemm (packed, register-tiled, BF16/F16 weights converted while packing)
 *   add, mul                  → elementwise.Binary        scale, silu, gelu → elementwise.Unary
 *   rmsNorm, softmax          → norm.RmsNorm, norm.Softmax
 *   rope, attention           → attention.Rope, attention.CausalAttention
 *   reduce                    → reduce.AxisReduction      embedding → gather.EmbeddingGather
 *   convert                   → convert.TensorConversion   exp and lane sums → elementwise.VectorMath
 * </pre>
 */
public final class VectorKernels implements Kernels {
    private final Parallel parallel;

    public VectorKernels(Parallel parallel) {
        if (parallel == null) throw new IllegalArgumentException("VectorKernels needs a Parallel pool");
        this.parallel = parallel;
    }

    /** The pool the kernels run on. */
    public Parallel parallel() {
        return parallel;
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return Gemm.linear(x, weight, bias, parallel);
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return Gemm.matmul(a, b, parallel);
    }

    @Override
    public Tensor embedding(Tensor ids, Tensor table) {
        return EmbeddingGather.apply(ids, table, parallel);
    }

    @Override
    public Tensor rmsNorm(Tensor x, Tensor weight, float eps) {
        return RmsNorm.apply(x, weight, eps, parallel);
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return Binary.apply(Binary.Op.ADD, a, b, parallel);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return Binary.apply(Binary.Op.MUL, a, b, parallel);
    }

    @Override
    public Tensor scale(Tensor a, float factor) {
        return Unary.scale(a, factor, parallel);
    }

    @Override
    public Tensor silu(Tensor x) {
        return Unary.silu(x, parallel);
    }

    @Override
    public Tensor gelu(Tensor x) {
        return Unary.gelu(x, parallel);
    }

    @Override
    public Tensor softmax(Tensor x) {
        return Softmax.apply(x, parallel);
    }

    @Override
    public Tensor rope(Tensor x, Tensor cos, Tensor sin) {
        return Rope.apply(x, cos, sin, parallel);
    }

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, float scale, int window, float softcap, Tensor sinks) {
        return CausalAttention.apply(q, k, v, mask, scale, window, softcap, sinks, parallel);
    }

    @Override
    public Tensor clampedSwiglu(Tensor gate, Tensor up, float alpha, float limit) {
        return ClampedSwiglu.apply(gate, up, alpha, limit);
    }

    @Override
    public Tensor softcap(Tensor x, float cap) {
        return Unary.softcap(x, cap, parallel);
    }

    @Override
    public Tensor reduce(Reduction reduction, Tensor x, int axis) {
        return AxisReduction.apply(reduction, x, axis, parallel);
    }

    @Override
    public Tensor convert(Tensor x, DType dtype) {
        return TensorConversion.convert(x, dtype, parallel);
    }

    @Override
    public String toString() {
        return "VectorKernels(" + parallel + ")";
    }
}
