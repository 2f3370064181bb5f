package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The router of a sparse mixture-of-experts block (transformers' {@code MixtralTopKRouter},
 * {@code Qwen3MoeTopKRouter}, ...): router logits = x·Wᵀ. Parameter {@code weight} [experts,
 * hidden]; input [tokens, hidden] → logits [tokens, experts], F32.
 *
 * <p>Not a {@link Linear}: as in transformers 5, a recipe that targets {@code Linear} leaves
 * routers unquantized (vLLM serves them in full precision); the top-k choice itself is made by the
 * {@link SparseMoeBlock}.
 */
public final class TopKRouter extends Module {
    private final Ops ops;
    private final String typeName;

    public TopKRouter(Ops ops, String typeName, Tensor weight) {
        if (weight.rank() != 2) throw new IllegalArgumentException(typeName + " weight must be [experts, hidden], got " + weight.shape());
        this.ops = ops;
        this.typeName = typeName;
        registerParameter("weight", weight);
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
        return ops.linear(inputs[0], parameter("weight"), null);
    }
}
