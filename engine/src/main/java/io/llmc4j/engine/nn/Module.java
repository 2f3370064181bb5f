package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A node of the model tree (PyTorch's {@code nn.Module}): named parameters, buffers and children,
 * and a forward with pre-hooks and hooks.
 *
 * <p>Names are dotted paths from the root ({@code model.layers.3.self_attn.q_proj}); a module does
 * not know its own name, the tree does ({@link #namedModules()}). Parameters are tensors, usually
 * views of a mapped checkpoint; replacing one ({@link #setParameter}) never writes into the old
 * tensor's memory.
 *
 * <p>{@link #call} runs pre-hooks, {@link #forward} (through the {@link ForwardWrapper}, if one is
 * set), then hooks (in registration order); {@link HookSwitch} disables the hooks, not the wrapper.
 * Called with a symbolic input, it defers to the tracer.
 *
 * <p>Not thread-safe for concurrent structural changes; hooks may be added or removed while another
 * thread runs a forward.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final List<ForwardPreHook> preHooks = new CopyOnWriteArrayList<>();
    private final List<ForwardHook> hooks = new CopyOnWriteArrayList<>();
    private volatile ForwardWrapper wrapper;

    /** The class name used for target matching (e.g. "Linear", "LlamaDecoderLayer"). */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** The computation, without hooks. */
    protected abstract Tensor forward(Tensor... inputs);

    /** Runs the module: pre-hooks, forward, hooks; or, for symbolic inputs, the tracer. */
    public final Tensor call(Tensor... inputs) {
        for (Tensor input : inputs) {
            if (input != null && input.isSymbolic() && input.traceTag() instanceof ModuleCallRecorder recorder) {
                return recorder.callModule(this, inputs, () -> wrappedForward(inputs));
            }
        }
        if (!HookSwitch.hooksEnabled() || (preHooks.isEmpty() && hooks.isEmpty())) return wrappedForward(inputs);
        Tensor[] args = inputs;
        for (ForwardPreHook hook : preHooks) {
            Tensor[] replaced = hook.apply(this, args);
            if (replaced != null) args = replaced;
        }
        Tensor output = wrappedForward(args);
        for (ForwardHook hook : hooks) {
            Tensor replaced = hook.apply(this, args, output);
            if (replaced != null) output = replaced;
        }
        return output;
    }

    private Tensor wrappedForward(Tensor[] inputs) {
        ForwardWrapper w = wrapper;
        return w == null ? forward(inputs) : w.apply(this, inputs, this::forward);
    }

    /** Installs (or, with null, removes) the forward wrapper; returns the previous one. */
    public ForwardWrapper setForwardWrapper(ForwardWrapper forwardWrapper) {
        ForwardWrapper previous = wrapper;
        wrapper = forwardWrapper;
        return previous;
    }

    public ForwardWrapper forwardWrapper() {
        return wrapper;
    }

    // ---------------------------------------------------------------- hooks

    public HookHandle registerForwardPreHook(ForwardPreHook hook) {
        preHooks.add(hook);
        return () -> preHooks.remove(hook);
    }

    public HookHandle registerForwardHook(ForwardHook hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    public boolean hasHooks() {
        return !preHooks.isEmpty() || !hooks.isEmpty();
    }

    // ---------------------------------------------------------------- structure

    protected final <M extends Module> M registerModule(String name, M child) {
        if (children.containsKey(name)) throw new IllegalArgumentException("child '" + name + "' registered twice in " + typeName());
        children.put(name, child);
        return child;
    }

    protected final Tensor registerParameter(String name, Tensor value) {
        parameters.put(name, value);
        return value;
    }

    protected final Tensor registerBuffer(String name, Tensor value) {
        buffers.put(name, value);
        return value;
    }

    /** The direct parameter {@code name}, or null. */
    public Tensor parameter(String name) {
        return parameters.get(name);
    }

    /** Replaces (or adds) direct parameter {@code name}. */
    public void setParameter(String name, Tensor value) {
        parameters.put(name, value);
        onParameterChanged(name, value);
    }

    /** Removes direct parameter {@code name}; returns the old value or null. */
    public Tensor removeParameter(String name) {
        return parameters.remove(name);
    }

    /** Subclasses that cache parameters in fields refresh them here. */
    protected void onParameterChanged(String name, Tensor value) {
    }

    public Tensor buffer(String name) {
        return buffers.get(name);
    }

    public void setBuffer(String name, Tensor value) {
        buffers.put(name, value);
    }

    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public Map<String, Tensor> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Replaces child {@code name} (e.g. to wrap a Linear); the child must exist. */
    public void replaceChild(String name, Module child) {
        if (!children.containsKey(name)) throw new IllegalArgumentException("no child '" + name + "' in " + typeName());
        children.put(name, child);
    }

    /** This module and all descendants by dotted name, depth first, this module as "". */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out);
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out) {
        out.put(prefix, m);
        for (var e : m.children.entrySet()) collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
    }

    /** Every parameter of this module and its descendants by dotted name. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (var p : e.getValue().parameters.entrySet()) out.put(prefix + p.getKey(), p.getValue());
        }
        return out;
    }

    /** The descendant at dotted path {@code path} ("" is this module). */
    public Module submodule(String path) {
        if (path.isEmpty()) return this;
        Module m = this;
        for (String part : path.split("\\.")) {
            Module next = m.children.get(part);
            if (next == null) throw new IllegalArgumentException("no module '" + path + "' (missing '" + part + "' under " + m.typeName() + ")");
            m = next;
        }
        return m;
    }

    /** Names of this module's descendants (excluding itself) in depth-first order. */
    public List<String> descendantNames() {
        List<String> names = new ArrayList<>(namedModules().keySet());
        names.remove("");
        return names;
    }
}
