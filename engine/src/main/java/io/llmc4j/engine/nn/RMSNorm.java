package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Root-mean-square normalisation over the last axis (Hugging Face {@code LlamaRMSNorm}):
 * x / sqrt(mean(x²) + eps) · weight. Parameter {@code weight} [features]; input [..., features] →
 * output of the same shape, F32. Also serves as Qwen3's per-head {@code q_norm}/{@code k_norm}
 * (features = head_dim).
 */
public final class RMSNorm extends Module {
    private final Ops ops;
    private final String typeName;
    private final float eps;

    /** {@code typeName} is the Hugging Face class name, e.g. "LlamaRMSNorm" or "Qwen3RMSNorm". */
    public RMSNorm(Ops ops, String typeName, Tensor weight, float eps) {
        if (weight.rank() != 1) throw new IllegalArgumentException(typeName + " weight must be [features], got " + weight.shape());
        if (!(eps > 0)) throw new IllegalArgumentException(typeName + " eps must be positive, got " + eps);
        this.ops = ops;
        this.typeName = typeName;
        this.eps = eps;
        registerParameter("weight", weight);
    }

    @Override
    public String typeName() {
        return typeName;
    }

    public float eps() {
        return eps;
    }

    /** inputs: x [..., features]. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 1);
        return ops.rmsNorm(inputs[0], parameter("weight"), eps);
    }
}
