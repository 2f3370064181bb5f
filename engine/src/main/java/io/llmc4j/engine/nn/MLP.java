package io.llmc4j.engine.nn;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.List;

/**
 * The gated feed-forward block (Hugging Face {@code LlamaMLP}): down(act(gate(x)) · up(x)).
 *
 * <pre>
 *   x ──gate_proj──act──┐
 *   x ──up_proj─────────×──down_proj──▶ out
 * </pre>
 *
 * Children named as the checkpoint names them: {@code gate_proj}, {@code up_proj}
 * [intermediate, hidden] and {@code down_proj} [hidden, intermediate] (Mixtral's experts: w1, w3,
 * w2); or Phi-3's fused {@code gate_up_proj} [2·intermediate, hidden], whose first half of
 * outputs is the gate. Input [..., hidden] → output [..., hidden], F32. Children are looked up at
 * every forward, so replacing one ({@link #replaceChild}) takes effect.
 */
public final class MLP extends Module {
    private final Ops ops;
    private final String typeName;
    private final Activation activation;
    private final List<String> names;

    /** Llama's names: gate_proj, up_proj, down_proj. */
    public MLP(Ops ops, String typeName, Linear gateProj, Linear upProj, Linear downProj, Activation activation) {
        this(ops, typeName, activation, "gate_proj", gateProj, "up_proj", upProj, "down_proj", downProj);
    }

    /** Separate gate and up projections under the given names. */
    public MLP(Ops ops, String typeName, Activation activation, String gateName, Linear gate, String upName, Linear up,
               String downName, Linear down) {
        this.ops = ops;
        this.typeName = typeName;
        this.activation = activation;
        this.names = List.of(gateName, upName, downName);
        registerModule(gateName, gate);
        registerModule(upName, up);
        registerModule(downName, down);
    }

    /** Phi-3's fused {@code gate_up_proj} [2·intermediate, hidden] and {@code down_proj}. */
    public MLP(Ops ops, String typeName, Activation activation, Linear gateUpProj, Linear downProj) {
        if (gateUpProj.outFeatures() != 2 * downProj.inFeatures())
            throw new IllegalArgumentException(typeName + ": gate_up_proj has " + gateUpProj.outFeatures() + " outputs, expected 2 × "
                    + downProj.inFeatures());
        this.ops = ops;
        this.typeName = typeName;
        this.activation = activation;
        this.names = List.of("gate_up_proj", "down_proj");
        registerModule("gate_up_proj", gateUpProj);
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
        Tensor gate, up;
        if (names.size() == 2) {
            Tensor gateUp = submodule(names.get(0)).call(x);
            int last = gateUp.rank() - 1;
            long half = gateUp.dim(last) / 2;
            gate = ops.narrow(gateUp, last, 0, half);
            up = ops.narrow(gateUp, last, half, half);
        } else {
            gate = submodule(names.get(0)).call(x);
            up = submodule(names.get(1)).call(x);
        }
        return submodule(names.getLast()).call(activation.gate(ops, gate, up));
    }
}
