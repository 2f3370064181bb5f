package io.llmc4j.compress.modifiers;

import io.llmc4j.engine.nn.ForwardHook;
import io.llmc4j.engine.nn.ForwardPreHook;
import io.llmc4j.engine.nn.HookHandle;
import io.llmc4j.engine.nn.Module;

/**
 * A forward hook of one of the kinds a {@link Module} accepts (the reference's {@code hook_type}
 * argument, "forward_pre" or "forward"). {@link ModifierHooks#register} registers it.
 */
public sealed interface ModuleHook {

    static ModuleHook pre(ForwardPreHook hook) {
        return new Pre(hook);
    }

    static ModuleHook post(ForwardHook hook) {
        return new Post(hook);
    }

    /** Registers this hook on {@code module}. */
    default HookHandle attachTo(Module module) {
        return switch (this) {
            case Pre(ForwardPreHook hook) -> module.registerForwardPreHook(hook);
            case Post(ForwardHook hook) -> module.registerForwardHook(hook);
        };
    }

    /** Runs before the module's forward ("forward_pre"). */
    record Pre(ForwardPreHook hook) implements ModuleHook {
        public Pre {
            java.util.Objects.requireNonNull(hook, "hook");
        }
    }

    /** Runs after the module's forward ("forward"). */
    record Post(ForwardHook hook) implements ModuleHook {
        public Post {
            java.util.Objects.requireNonNull(hook, "hook");
        }
    }
}
