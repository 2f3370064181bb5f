package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The router of a sparse mixture-of-experts block (transformers' {@code MixtralTopKRouter},
 * {@code Qwen3MoeTopKRouter}, {@code GptOssTopKRouter}, ...): router logits = x·Wᵀ (+ b). Parameters
 * {@code weight} [experts, hidden] and optional {@code bias} [experts]; input [tokens, hidden] →
 * logits [tokens, experts], F32.
 *
 * <p>Not a {@link Linear}: as in transformers 5, a recipe that targets {@code Linear} leaves
 * routers unquantized (vLLM serves them in full precision); the top-k choice itself is made by the
 * {@link SparseMoeBlock}.
 */
public final class TopKRouter extends Module {
    private final Ops ops;
    private final String typeName;

    public TopKRouter(Ops ops, String typeName, Tensor weight) {
        this(ops, typeName, weight, null);
    }

    /** With a {@code bias} [experts] (gpt-oss), or null. */
    public TopKRouter(Ops ops, String typeName, Tensor weight, Tensor bias) {
        if (weight.rank() != 2) throw new IllegalArgumentException(typeName + " weight must be [experts, hidden], got " + weight.shape());
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0)))
            throw new IllegalArgumentException(typeName + " bias must be [" + weight.dim(0) + "], got " + bias.shape());
        this.ops = ops;
        this.typeName = typeName;
        registerParameter("weight", weight);
        if (bias != null) registerParameter("bias", bias);
    }

    @Override
    public String typeName() {
        return typeName;
    }

    public int experts() {
        return Math.toIntExact(parameter("weight").dim(0));
    }

    /** inputs: x [tokens, hidden]. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 1);
        return ops.linear(inputs[0], parameter("weight"), parameter("bias"));
    }
}
