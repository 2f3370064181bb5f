package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;

/**
 * The gated feed-forward block (Hugging Face {@code LlamaMLP}): down(act(gate(x)) · up(x)).
 *
 * <pre>
 *   x ──gate_proj──act──┐
 *   x ──up_proj─────────×──down_proj──▶ out
 * </pre>
 *
 * Children {@code gate_proj}, {@code up_proj} [intermediate, hidden] and {@code down_proj}
 * [hidden, intermediate]; input [..., hidden] → output [..., hidden], F32. Children are looked up
 * at every forward, so replacing one ({@link #replaceChild}) takes effect.
 */
public final class MLP extends Module {
    private final Ops ops;
    private final String typeName;
    private final Activation activation;

    public MLP(Ops ops, String typeName, Linear gateProj, Linear upProj, Linear downProj, Activation activation) {
        this.ops = ops;
        this.typeName = typeName;
        this.activation = activation;
        registerModule("gate_proj", gateProj);
        registerModule("up_proj", upProj);
        registerModule("down_proj", downProj);
    }

    @Override
    public String typeName() {
        return typeName;
    }

    public Activation activation() {
        return activation;
    }

    /** inputs: x [..., hidden]. */
    @Override
    protected Tensor forward(Tensor... inputs) {
        ModuleInputs.requireCount(this, inputs, 1, 1);
        Tensor x = inputs[0];
        Tensor gate = activation.apply(ops, submodule("gate_proj").call(x));
        Tensor up = submodule("up_proj").call(x);
        return submodule("down_proj").call(ops.mul(gate, up));
    }
}
