package io.llmc4j.engine.fx;

import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.function.BiPredicate;

/**
 * Records a module tree's forward as a {@link Graph} (torch.fx's symbolic tracing).
 *
 * <p>{@link #trace} calls {@code root.call(...)} with symbolic tensors (dtype and shape, no data)
 * in place of the sample inputs, in the map's order; a null sample value is passed as null and is
 * fixed at trace time (a concrete argument). Every {@code Ops} call on a symbolic tensor becomes a
 * {@code call_function} node, with its output metadata from {@link ShapeInference}. A module call
 * on a symbolic tensor consults the leaf predicate (module path, module):
 * <ul>
 *   <li>leaf: one {@code call_module} node; the body runs once in shape-only mode (no nodes) to
 *       find the output's dtype and shape, or, if it reads values, once on zero-filled inputs;</li>
 *   <li>otherwise the body runs and is traced inside.</li>
 * </ul>
 * Inside traced (non-leaf) modules:
 * <ul>
 *   <li>a parameter or buffer of the tree passed to an op becomes a {@code get_attr} node, read by
 *       name when the graph runs, so weights replaced after tracing are used;</li>
 *   <li>any other concrete tensor (e.g. a mask built from shapes) becomes a constant argument,
 *       computed once here. Like every shape in the trace it is specialised to the sample shapes;
 *       trace again for other shapes. Keep value-carrying work in Ops calls or leaf modules;</li>
 *   <li>a module called with no symbolic argument runs right away (hooks off) and its result is
 *       such a constant.</li>
 * </ul>
 * Control flow on shapes is fine. Reading a symbolic tensor's values throws a
 * {@link TraceException} naming the innermost traced module, to be marked as a leaf. Views must go
 * through {@code Ops} (a Tensor view method on a symbolic tensor is detected and rejected).
 *
 * <p>Hooks are disabled (process-wide, {@code HookSwitch}) for the duration of a trace; the trace is
 * single-threaded. A {@code Tracer} holds no state between traces.
 */
public final class Tracer {
    /** A predicate under which no module is a leaf: everything is traced inside. */
    public static final BiPredicate<String, Module> NO_LEAVES = (path, module) -> false;

    private final BiPredicate<String, Module> isLeaf;

    /** @param isLeaf decides, from the module's dotted path and the module, whether it stays one node */
    public Tracer(BiPredicate<String, Module> isLeaf) {
        this.isLeaf = Objects.requireNonNull(isLeaf, "isLeaf");
    }

    /**
     * Traces {@code root} on inputs shaped like {@code sampleInputs} (names become placeholders).
     *
     * @throws TraceException when a module cannot be traced
     */
    public Graph trace(Module root, SequencedMap<String, Tensor> sampleInputs) {
        return new TraceSession(root, isLeaf).trace(sampleInputs);
    }
}
