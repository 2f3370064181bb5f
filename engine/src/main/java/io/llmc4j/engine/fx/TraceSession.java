package io.llmc4j.engine.fx;

import io.llmc4j.engine.nn.HookSwitch;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.OpCode;
import io.llmc4j.engine.tensor.SymbolicAccessException;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/** The state of one {@link Tracer#trace} call: nodes recorded so far, names, the module stack. */
final class TraceSession {
    private final Module root;
    private final BiPredicate<String, Module> isLeaf;
    private final Map<Module, String> modulePaths = new IdentityHashMap<>();
    private final Map<Tensor, String> attributeNames = new IdentityHashMap<>();
    private final Map<MemorySegment, String> attributeSegments = new IdentityHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> produced = new HashMap<>();
    private final Map<String, String> getAttrNodes = new HashMap<>();
    private final NodeNamer namer = new NodeNamer();
    private final Deque<String> moduleStack = new ArrayDeque<>();
    private final TraceTag shapeOnlyTag = new TraceTag(this, null);
    private int shapeOnlyDepth;

    TraceSession(Module root, BiPredicate<String, Module> isLeaf) {
        this.root = root;
        this.isLeaf = isLeaf;
        for (var e : root.namedModules().entrySet()) {
            modulePaths.putIfAbsent(e.getValue(), e.getKey());
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            registerAttributes(prefix, e.getValue().parameters());
            registerAttributes(prefix, e.getValue().buffers());
        }
    }

    private void registerAttributes(String prefix, Map<String, Tensor> attributes) {
        for (var a : attributes.entrySet()) {
            Tensor t = a.getValue();
            if (t == null || t.isSymbolic()) continue;
            attributeNames.putIfAbsent(t, prefix + a.getKey());
            attributeSegments.putIfAbsent(t.segment(), prefix + a.getKey());
        }
    }

    Graph trace(SequencedMap<String, Tensor> sampleInputs) {
        Tensor[] args = new Tensor[sampleInputs.size()];
        int i = 0;
        boolean anySymbolic = false;
        for (var e : sampleInputs.entrySet()) {
            Tensor value = e.getValue();
            if (value == null) {
                args[i++] = null;
                continue;
            }
            if (value.isSymbolic())
                throw new IllegalArgumentException("sample input '" + e.getKey() + "' must be a real tensor, got " + value);
            String name = namer.reserve(e.getKey());
            Tensor symbolic = Tensor.symbolic(value.dtype(), value.shape(), new TraceTag(this, name));
            nodes.add(new Placeholder(name, TensorMeta.of(value)));
            produced.put(name, symbolic);
            args[i++] = symbolic;
            anySymbolic = true;
        }
        if (!anySymbolic)
            throw new IllegalArgumentException("tracing " + describe("", root) + " needs at least one non-null sample input, got " + sampleInputs.keySet());
        Tensor out;
        try (var _ = HookSwitch.disable()) {
            out = root.call(args);
        }
        String result = producedBy(out);
        if (result == null)
            throw new TraceException("", "the output of " + describe("", root) + " is " + (out == null ? "null" : "a constant " + out)
                    + ", not a value computed from the inputs " + sampleInputs.keySet());
        nodes.add(new Output(namer.fresh("output"), List.of(result)));
        return new Graph(nodes).requireWellFormed("the tracer");
    }

    // ---------------------------------------------------------------- recorder callbacks

    Tensor record(OpCode op, Object[] args) {
        if (shapeOnlyDepth > 0) {
            for (Object a : args) if (a instanceof Tensor t && t.isSymbolic()) requireOwn(t);
            return ShapeInference.resultOf(op, args, shapeOnlyTag);
        }
        List<Arg> list = toArgs(args);
        String name = namer.fresh(op.name().toLowerCase(Locale.ROOT));
        Tensor result = ShapeInference.resultOf(op, args, new TraceTag(this, name));
        nodes.add(new CallFunction(name, op, list, TensorMeta.of(result)));
        produced.put(name, result);
        return result;
    }

    Tensor callModule(Module module, Tensor[] inputs, Supplier<Tensor> body) {
        if (shapeOnlyDepth > 0) return body.get();
        String path = modulePaths.get(module);
        if (path != null && isLeaf.test(path, module)) return recordLeafCall(path, module, inputs, body);
        return traceInside(path == null ? "<unregistered " + module.typeName() + ">" : path, module, body);
    }

    private Tensor traceInside(String path, Module module, Supplier<Tensor> body) {
        moduleStack.push(path);
        try {
            return body.get();
        } catch (TraceException e) {
            throw e;
        } catch (SymbolicAccessException e) {
            throw new TraceException(path, "cannot trace " + describe(path, module) + ": " + e.getMessage() + lastNodeHint()
                    + ". Mark '" + path + "' as ignored for tracing (a leaf) so it runs as one call_module node", e);
        } catch (RuntimeException e) {
            throw new TraceException(path, "tracing " + describe(path, module) + " failed: " + e.getMessage() + lastNodeHint(), e);
        } finally {
            moduleStack.pop();
        }
    }

    private Tensor recordLeafCall(String path, Module module, Tensor[] inputs, Supplier<Tensor> body) {
        List<Arg> args = toArgs(inputs);
        Tensor out = leafOutput(path, module, inputs, body);
        String name = namer.fresh(path.isEmpty() ? "root" : path.replace('.', '_'));
        Tensor result = out.withTraceTag(new TraceTag(this, name));
        nodes.add(new CallModule(name, path, args, TensorMeta.of(result)));
        produced.put(name, result);
        return result;
    }

    /**
     * The leaf's output metadata: its body runs in shape-only mode (ops give symbolic results, no
     * nodes). A body that reads values is run once more on zero-filled real inputs of the traced
     * shapes, hooks off, and its real output's metadata is used.
     */
    private Tensor leafOutput(String path, Module module, Tensor[] inputs, Supplier<Tensor> body) {
        SymbolicAccessException valueAccess;
        shapeOnlyDepth++;
        try {
            Tensor out = body.get();
            if (out == null) throw new TraceException(path, "leaf " + describe(path, module) + " returned null while tracing");
            return out;
        } catch (SymbolicAccessException e) {
            valueAccess = e;
        } catch (TraceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TraceException(path, "finding the output shape of leaf " + describe(path, module) + " failed: " + e.getMessage(), e);
        } finally {
            shapeOnlyDepth--;
        }
        Tensor[] zeros = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            zeros[i] = t != null && t.isSymbolic() ? Tensor.allocate(t.dtype(), t.shape().toArray()) : t;
        }
        try (var _ = HookSwitch.disable()) {
            Tensor out = module.call(zeros);
            if (out == null) throw new TraceException(path, "leaf " + describe(path, module) + " returned null while tracing");
            return out;
        } catch (TraceException e) {
            throw e;
        } catch (RuntimeException e) {
            e.addSuppressed(valueAccess);
            throw new TraceException(path, "leaf " + describe(path, module) + " reads tensor values, and running it on zero-filled inputs "
                    + Arrays.toString(zeros) + " to find its output shape failed: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- arguments

    private List<Arg> toArgs(Object[] args) {
        List<Arg> out = new ArrayList<>(args.length);
        for (Object a : args) {
            if (!(a instanceof Tensor t)) {
                out.add(new Arg.Literal(a));
            } else if (t.isSymbolic()) {
                out.add(new Arg.Ref(requireNode(t)));
            } else {
                String attribute = attributeNames.get(t);
                if (attribute != null) {
                    out.add(new Arg.Ref(getAttrNode(attribute, t)));
                } else {
                    String viewed = attributeSegments.get(t.segment());
                    if (viewed != null)
                        throw new IllegalStateException("a view of parameter '" + viewed + "' (" + t + ") is used directly; a traced"
                                + " module must pass the parameter itself and take views through Ops, or a changed weight would go unseen");
                    out.add(new Arg.Literal(t));
                }
            }
        }
        return out;
    }

    private String getAttrNode(String target, Tensor value) {
        String existing = getAttrNodes.get(target);
        if (existing != null) return existing;
        String name = namer.fresh(target.replace('.', '_'));
        nodes.add(new GetAttr(name, target, TensorMeta.of(value)));
        getAttrNodes.put(target, name);
        return name;
    }

    private TraceTag requireOwn(Tensor t) {
        if (!(t.traceTag() instanceof TraceTag tag) || tag.session != this)
            throw new IllegalStateException("symbolic tensor " + t + " belongs to another trace (" + t.traceTag() + ")");
        return tag;
    }

    private String requireNode(Tensor t) {
        TraceTag tag = requireOwn(t);
        if (tag.node == null)
            throw new IllegalStateException("symbolic tensor " + t + " was computed inside a leaf module's shape-only run and escaped it"
                    + " (a module kept a tensor from one call for a later one)");
        Tensor expected = produced.get(tag.node);
        if (!sameLayout(expected, t))
            throw new IllegalStateException("%" + tag.node + " produced " + layout(expected) + " but is used as " + layout(t)
                    + ": a view was taken with Tensor methods instead of Ops (use ops.reshape, transpose, narrow, select)");
        return tag.node;
    }

    private static boolean sameLayout(Tensor a, Tensor b) {
        return a.dtype() == b.dtype() && a.shape().equals(b.shape()) && Arrays.equals(a.strides(), b.strides()) && a.offset() == b.offset();
    }

    private static String layout(Tensor t) {
        return t.dtype() + "" + t.shape() + " strides " + Arrays.toString(t.strides()) + " offset " + t.offset();
    }

    private String producedBy(Tensor out) {
        if (out == null || !out.isSymbolic()) return null;
        return requireNode(out);
    }

    private String lastNodeHint() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (!(nodes.get(i) instanceof GetAttr)) return " (last recorded node: " + Graph.line(nodes.get(i)) + ")";
        }
        return "";
    }

    private static String describe(String path, Module module) {
        return (path.isEmpty() ? "the root module" : "module '" + path + "'") + " (" + module.typeName() + ")";
    }
}
