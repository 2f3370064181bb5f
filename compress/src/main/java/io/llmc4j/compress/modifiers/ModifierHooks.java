package io.llmc4j.compress.modifiers;

import io.llmc4j.engine.nn.ForwardHook;
import io.llmc4j.engine.nn.ForwardPreHook;
import io.llmc4j.engine.nn.HookHandle;
import io.llmc4j.engine.nn.HookSwitch;
import io.llmc4j.engine.nn.Module;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The hooks one modifier registered on model modules (the reference's {@code HooksMixin}): it
 * keeps every handle so the modifier can remove all of its hooks, or some of them, at once.
 * Disabling every hook of every modifier for a while (the reference's
 * {@code HooksMixin.disable_hooks()}) is the engine's process-wide {@link HookSwitch}, reachable
 * here as {@link #disableAll()}; the reference's {@code keep} set is not supported.
 *
 * <p>Thread-safe for registration and removal (the methods are synchronized); hooks themselves
 * run on whichever thread calls the module.
 */
public final class ModifierHooks {
    private final Set<HookHandle> handles = new LinkedHashSet<>();

    /** Registers {@code hook} on {@code module} and remembers its handle. */
    public synchronized HookHandle register(Module module, ModuleHook hook) {
        HookHandle handle = hook.attachTo(module);
        handles.add(handle);
        return handle;
    }

    public HookHandle registerForwardPreHook(Module module, ForwardPreHook hook) {
        return register(module, ModuleHook.pre(hook));
    }

    public HookHandle registerForwardHook(Module module, ForwardHook hook) {
        return register(module, ModuleHook.post(hook));
    }

    /** Removes every hook registered through this object. */
    public synchronized void removeAll() {
        remove(new ArrayList<>(handles));
    }

    /** Removes the given hooks (handles not registered here are removed too, and ignored otherwise). */
    public synchronized void remove(Collection<HookHandle> toRemove) {
        for (HookHandle handle : List.copyOf(toRemove)) {
            handle.remove();
            handles.remove(handle);
        }
    }

    /** How many hooks registered here are still attached. */
    public synchronized int size() {
        return handles.size();
    }

    /** Disables all hooks of all modules until the scope is closed (nests). */
    public static HookSwitch.Scope disableAll() {
        return HookSwitch.disable();
    }
}
