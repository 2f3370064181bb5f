package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * A lookup table, PyTorch's {@code nn.Embedding}: row {@code id} of {@code weight} [vocab, hidden]
 * for every integer id. Input ids [...] (I64 or I32) → output [..., hidden], F32. The weight is read
 * at every forward and never written.
 */
public final class Embedding extends Module {
    private final Ops ops;

    public Embedding(Ops ops, Tensor weight) {
        if (weight.rank() != 2) throw new IllegalArgumentException("Embedding weight must be [vocab, hidden], got " + weight.shape());
        this.ops = ops;
        registerParameter("weight", weight);
    }

    @Override
    public String typeName() {
        return "Embedding";
    }

    /** inputs: ids [...]. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 1);
        return ops.embedding(inputs[0], parameter("weight"));
    }
}
