package io.llmc4j.engine.ops.accel;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Argument checks and the host-side combination step of {@link Accelerator#gramUpdate}, shared by
 * every backend so that they reject the same inputs with the same messages. Stateless.
 */
public final class GramChecks {
    private GramChecks() {
    }

    /**
     * x {@code [..., in]} as a {@code [tokens, in]} view (or copy, when the leading dims cannot be
     * merged), after checking that h is a contiguous F32 {@code [in, in]} tensor.
     */
    public static Tensor rows(Tensor x, Tensor h) {
        if (x.rank() < 1) throw new IllegalArgumentException("gramUpdate: activations must have rank >= 1, got " + x.shape());
        long in = x.shape().last();
        if (h.dtype() != DType.F32 || !h.isContiguous() || h.rank() != 2 || h.dim(0) != in || h.dim(1) != in)
            throw new IllegalArgumentException("gramUpdate: Hessian " + h.dtype() + h.shape() + " must be contiguous F32 [" + in + ", " + in + "] for activations " + x.shape());
        long tokens = in == 0 ? 0 : x.elementCount() / in;
        Tensor flat = x.rank() == 2 ? x : x.contiguous().reshape(tokens, in);
        return flat;
    }

    /** h ← decay·h + scale·gram, element by element in float (gram a contiguous F32 tensor of h's shape). */
    public static void combine(Tensor h, Tensor gram, float decay, float scale) {
        long n = h.elementCount();
        long hb = h.byteOffset(), gb = gram.byteOffset();
        for (long i = 0; i < n; i++) {
            float old = h.segment().get(Tensor.F32, hb + 4 * i);
            float add = gram.segment().get(Tensor.F32, gb + 4 * i);
            h.segment().set(Tensor.F32, hb + 4 * i, decay * old + scale * add);
        }
    }
}
