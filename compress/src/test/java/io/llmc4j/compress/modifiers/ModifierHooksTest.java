package io.llmc4j.compress.modifiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.nn.HookHandle;
import io.llmc4j.engine.nn.HookSwitch;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A modifier's hooks: registered per kind, removed together, disabled by the engine's switch. */
class ModifierHooksTest {
    private final List<String> calls = new ArrayList<>();

    /** y = x. */
    private static final class Identity extends Module {
        @Override
        protected Tensor forward(Tensor... inputs) {
            return inputs[0];
        }
    }

    @Test
    void hooksOfBothKindsRunAndAreRemovedTogether() {
        Module a = new Identity();
        Module b = new Identity();
        ModifierHooks hooks = new ModifierHooks();
        hooks.register(a, ModuleHook.pre((m, in) -> {
            calls.add("pre a");
            return null;
        }));
        hooks.registerForwardHook(a, (m, in, out) -> {
            calls.add("post a");
            return null;
        });
        hooks.registerForwardPreHook(b, (m, in) -> {
            calls.add("pre b");
            return null;
        });
        assertEquals(3, hooks.size());
        a.call(Tensor.of(1f));
        b.call(Tensor.of(1f));
        assertEquals(List.of("pre a", "post a", "pre b"), calls);

        hooks.removeAll();
        assertEquals(0, hooks.size());
        assertFalse(a.hasHooks());
        assertFalse(b.hasHooks());
        a.call(Tensor.of(1f));
        assertEquals(3, calls.size());
    }

    @Test
    void someHooksCanBeRemovedAndOthersKept() {
        Module a = new Identity();
        ModifierHooks hooks = new ModifierHooks();
        HookHandle first = hooks.registerForwardHook(a, (m, in, out) -> {
            calls.add("first");
            return null;
        });
        hooks.registerForwardHook(a, (m, in, out) -> {
            calls.add("second");
            return null;
        });
        hooks.remove(List.of(first));
        assertEquals(1, hooks.size());
        a.call(Tensor.of(1f));
        assertEquals(List.of("second"), calls);
    }

    @Test
    void aHookMayReplaceTheOutput() {
        Module a = new Identity();
        ModifierHooks hooks = new ModifierHooks();
        hooks.registerForwardHook(a, (m, in, out) -> Tensor.of(7f));
        assertEquals(7f, a.call(Tensor.of(1f)).getFlat(0));
    }

    @Test
    void disableAllSilencesEveryModifiersHooksUntilClosed() {
        Module a = new Identity();
        ModifierHooks first = new ModifierHooks();
        ModifierHooks second = new ModifierHooks();
        first.registerForwardHook(a, (m, in, out) -> {
            calls.add("first");
            return null;
        });
        second.registerForwardPreHook(a, (m, in) -> {
            calls.add("second");
            return null;
        });
        try (HookSwitch.Scope _ = ModifierHooks.disableAll()) {
            assertFalse(HookSwitch.hooksEnabled());
            a.call(Tensor.of(1f));
        }
        assertTrue(calls.isEmpty());
        a.call(Tensor.of(1f));
        assertEquals(List.of("second", "first"), calls);
    }

    @Test
    void everyModifierOwnsItsHooks() {
        var log = new ArrayList<String>();
        var modifier = new io.llmc4j.compress.testing.RecordingModifier(io.llmc4j.compress.testing.RecordingArgs.DEFAULTS,
                ModifierSettings.NONE, log);
        Module a = new Identity();
        modifier.hooks().registerForwardHook(a, (m, in, out) -> null);
        assertTrue(a.hasHooks());
        modifier.hooks().removeAll();
        assertFalse(a.hasHooks());
    }
}
