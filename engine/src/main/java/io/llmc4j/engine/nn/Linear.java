package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * A fully connected layer, PyTorch's {@code nn.Linear}: y = x·Wᵀ + b.
 *
 * <p>Parameters: {@code weight} [out, in] (F32, BF16 or F16) and optional {@code bias} [out].
 * Input x [..., in] → output [..., out], F32. Both parameters are read at every forward, so a
 * modifier that replaces them with {@link #setParameter} takes effect at once; this class never
 * writes into them (they may be views of a mapped file).
 *
 * <p>Thread-safe for concurrent forwards when the kernels are.
 */
public final class Linear extends Module {
    private final Ops ops;

    /** A layer over {@code weight} [out, in] and {@code bias} [out] or null; both are kept as given (no copy). */
    public Linear(Ops ops, Tensor weight, Tensor bias) {
        if (weight.rank() != 2) throw new IllegalArgumentException("Linear weight must be [out, in], got " + weight.shape());
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0)))
            throw new IllegalArgumentException("Linear bias must be [" + weight.dim(0) + "], got " + bias.shape());
        this.ops = ops;
        registerParameter("weight", weight);
        if (bias != null) registerParameter("bias", bias);
    }

    @Override
    public String typeName() {
        return "Linear";
    }

    /** The ops this layer computes with (a forward wrapper computing the layer differently uses them too). */
    public Ops ops() {
        return ops;
    }

    public long inFeatures() {
        return parameter("weight").dim(1);
    }

    public long outFeatures() {
        return parameter("weight").dim(0);
    }

    /** inputs: x [..., in]. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 1);
        return ops.linear(inputs[0], parameter("weight"), parameter("bias"));
    }
}
