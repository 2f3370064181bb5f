package io.llmc4j.engine.ops.accel;

import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The narrow compute boundary that device backends implement: matrix products and axis reductions,
 * the operations that dominate calibration (Linear layers, observers' min/max, GPTQ Hessians).
 * {@link CpuAccelerator} (Vector API) is the reference every backend is tested against.
 *
 * <p>Contract: arguments and results are host tensors; a backend copies to and from its device as it
 * sees fit and must not keep references to argument memory after a call returns. Operands may be
 * F32, BF16 or F16 in any strided layout; results are new contiguous F32 heap tensors. Results must
 * match the CPU reference within float accumulation tolerance (relative to {@code Σ|aᵢ·bᵢ|} for
 * products; exact for min, max and abs-max), and must not depend on how the backend schedules its
 * work. A backend owns its device resources and releases them in {@link #close()}. Implementations
 * are thread-safe unless their Javadoc says otherwise.
 */
public interface Accelerator extends AutoCloseable {

    /** A short stable name for logs and {@code --device} choices, e.g. {@code "cpu"}, {@code "cuda:0"}. */
    String name();

    /** C = A·B for A {@code [M, K]}, B {@code [K, N]}; returns {@code [M, N]}. */
    Tensor matmul(Tensor a, Tensor b);

    /** y = x·Wᵀ + b for x {@code [..., in]}, weight {@code [out, in]}, bias {@code [out]} or null; returns {@code [..., out]}. */
    Tensor linear(Tensor x, Tensor weight, Tensor bias);

    /**
     * Batched C = A·B: a {@code [..., M, K]}, b {@code [..., K, N]} with the same leading dims, or
     * b {@code [K, N]} shared by every batch; returns {@code [..., M, N]}.
     */
    Tensor batchedMatmul(Tensor a, Tensor b);

    /**
     * Reduces {@code axis} of x away; returns an F32 tensor of the remaining shape. Every backend
     * supports {@link Reduction#MIN}, {@link Reduction#MAX} and {@link Reduction#ABS_MAX}; one that
     * cannot sum throws {@link UnsupportedOperationException} for {@link Reduction#SUM}.
     */
    Tensor reduce(Reduction reduction, Tensor x, int axis);

    /**
     * The Gram (GPTQ Hessian) update {@code h ← decay·h + scale·XᵀX} for activations x
     * {@code [..., in]} (leading dims flattened into tokens) and h a contiguous F32 {@code [in, in]}
     * tensor updated in place. {@code decay = 1, scale = 1} accumulates; GPTQ's running mean over n
     * samples so far and m new ones is {@code decay = n/(n+m), scale = 2/(n+m)}.
     */
    void gramUpdate(Tensor x, Tensor h, float decay, float scale);

    /** Releases the backend's resources (device memory, contexts, threads it owns). Idempotent. */
    @Override
    void close();
}
