package io.llmc4j.engine.fx;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a {@link Graph} (a whole trace or a subgraph of one) on real tensors: placeholders from the
 * given inputs, {@code get_attr} from the module tree's current parameters and buffers,
 * {@code call_function} through {@link Ops#invoke}, {@code call_module} through
 * {@link Module#call} (so hooks run unless {@code HookSwitch} disables them).
 *
 * <p>Inputs and every node result are checked against the traced dtype and shape: a graph is
 * specialised to the shapes it was traced with, and a mismatch is reported at the placeholder
 * rather than deep inside a kernel. A value is dropped after its last use, so a long graph holds
 * only live activations. Thread-safe when the modules and kernels are; one run is sequential.
 */
public final class Interpreter {
    private final Module root;
    private final Ops ops;

    public Interpreter(Module root, Ops ops) {
        this.root = Objects.requireNonNull(root, "root");
        this.ops = Objects.requireNonNull(ops, "ops");
    }

    public Module root() {
        return root;
    }

    public Ops ops() {
        return ops;
    }

    /**
     * Runs {@code graph}.
     *
     * @param inputs a value for every placeholder, by name (extra entries are ignored)
     * @return the output values by node name, in the output node's order
     * @throws IllegalArgumentException when an input is missing or has another dtype or shape
     * @throws GraphExecutionException when a node fails
     */
    public Map<String, Tensor> run(Graph graph, Map<String, Tensor> inputs) {
        List<Node> nodes = graph.nodes();
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) for (String in : nodes.get(i).inputs()) lastUse.put(in, i);
        Map<String, Tensor> values = new HashMap<>();
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            switch (node) {
                case Placeholder p -> values.put(p.name(), input(p, inputs));
                case Output o -> {
                    for (String v : o.values()) result.put(v, values.get(v));
                }
                case GetAttr g -> values.put(g.name(), execute(g, values));
                case CallFunction f -> values.put(f.name(), execute(f, values));
                case CallModule m -> values.put(m.name(), execute(m, values));
            }
            for (String in : node.inputs()) if (lastUse.get(in) == i) values.remove(in);
        }
        return result;
    }

    private static Tensor input(Placeholder p, Map<String, Tensor> inputs) {
        Tensor value = inputs.get(p.name());
        if (value == null)
            throw new IllegalArgumentException("graph input '" + p.name() + "' (" + p.meta() + ") is missing; given " + inputs.keySet());
        if (!p.meta().matches(value))
            throw new IllegalArgumentException("graph input '" + p.name() + "' is " + value.dtype() + value.shape() + " but the graph was traced for "
                    + p.meta() + "; trace again for this shape");
        return value;
    }

    private Tensor execute(Node node, Map<String, Tensor> values) {
        Tensor out;
        TensorMeta expected;
        try {
            switch (node) {
                case GetAttr g -> {
                    return attribute(g);
                }
                case CallFunction f -> {
                    out = ops.invoke(f.op(), resolve(f.args(), values));
                    expected = f.meta();
                }
                case CallModule m -> {
                    Object[] args = resolve(m.args(), values);
                    Tensor[] tensors = new Tensor[args.length];
                    for (int i = 0; i < args.length; i++) {
                        if (args[i] != null && !(args[i] instanceof Tensor))
                            throw new IllegalStateException("module argument " + i + " is " + args[i] + ", not a tensor");
                        tensors[i] = (Tensor) args[i];
                    }
                    out = root.submodule(m.modulePath()).call(tensors);
                    expected = m.meta();
                }
                case Placeholder p -> throw new IllegalStateException("placeholder handled by run");
                case Output o -> throw new IllegalStateException("output handled by run");
            }
        } catch (GraphExecutionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GraphExecutionException(node.name(), "running " + Graph.line(node) + " failed: " + e.getMessage(), e);
        }
        if (out == null || !expected.matches(out))
            throw new GraphExecutionException(node.name(), Graph.line(node) + " produced " + (out == null ? "null" : out.dtype() + "" + out.shape())
                    + ", but the trace recorded " + expected + " (shapes changed since tracing?)", null);
        return out;
    }

    private Tensor attribute(GetAttr g) {
        Module owner = root.submodule(g.modulePath());
        Tensor value = owner.parameter(g.attributeName());
        if (value == null) value = owner.buffer(g.attributeName());
        if (value == null)
            throw new IllegalStateException("module '" + g.modulePath() + "' (" + owner.typeName() + ") has no parameter or buffer '" + g.attributeName() + "'");
        return value;
    }

    private static Object[] resolve(List<Arg> args, Map<String, Tensor> values) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (args.get(i)) {
                case Arg.Ref ref -> {
                    Tensor v = values.get(ref.node());
                    if (v == null) throw new IllegalStateException("value of %" + ref.node() + " is not available");
                    yield v;
                }
                case Arg.Literal lit -> lit.value() instanceof long[] dims ? dims.clone() : lit.value();
            };
        }
        return out;
    }
}
