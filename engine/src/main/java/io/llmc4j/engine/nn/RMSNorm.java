package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * Root-mean-square normalisation over the last axis (Hugging Face {@code LlamaRMSNorm}):
 * x / sqrt(mean(x²) + eps) · weight. Parameter {@code weight} [features]; input [..., features] →
 * output of the same shape, F32. Also serves as Qwen3's per-head {@code q_norm}/{@code k_norm}
 * (features = head_dim).
 *
 * <p>With a unit offset (Gemma's {@code GemmaRMSNorm}) the scale is (1 + weight): the stored
 * weight is a correction around 1. The normalised x is then computed against a constant all-ones
 * weight and combined as n + n·weight, which equals n·(1 + weight) up to one rounding.
 */
public final class RMSNorm extends Module {
    private final Ops ops;
    private final String typeName;
    private final float eps;
    private final Tensor ones;

    /** {@code typeName} is the Hugging Face class name, e.g. "LlamaRMSNorm" or "Qwen3RMSNorm". */
    public RMSNorm(Ops ops, String typeName, Tensor weight, float eps) {
        this(ops, typeName, weight, eps, false);
    }

    /** @param unitOffset scale by (1 + weight) as Gemma does, instead of weight */
    public RMSNorm(Ops ops, String typeName, Tensor weight, float eps, boolean unitOffset) {
        if (weight.rank() != 1) throw new IllegalArgumentException(typeName + " weight must be [features], got " + weight.shape());
        if (!(eps > 0)) throw new IllegalArgumentException(typeName + " eps must be positive, got " + eps);
        this.ops = ops;
        this.typeName = typeName;
        this.eps = eps;
        this.ones = unitOffset ? ones(weight.dim(0)) : null;
        registerParameter("weight", weight);
    }

    private static Tensor ones(long features) {
        float[] data = new float[Math.toIntExact(features)];
        java.util.Arrays.fill(data, 1f);
        return Tensor.of(data, features);
    }

    @Override
    public String typeName() {
        return typeName;
    }

    public float eps() {
        return eps;
    }

    /** True when the scale is (1 + weight) (Gemma). */
    public boolean unitOffset() {
        return ones != null;
    }

    /** inputs: x [..., features]. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 1);
        if (ones == null) return ops.rmsNorm(inputs[0], parameter("weight"), eps);
        Tensor normalized = ops.rmsNorm(inputs[0], ones, eps);
        return ops.add(normalized, ops.mul(normalized, parameter("weight")));
    }
}
