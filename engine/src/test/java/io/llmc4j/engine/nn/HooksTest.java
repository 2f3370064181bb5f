package io.llmc4j.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pre-hooks, hooks, the global switch and removable handles, on a Linear. */
class HooksTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());

    /** y = 2·x over two features. */
    private static Linear doubling() {
        return new Linear(OPS, Tensor.of(new float[] {2, 0, 0, 2}, 2, 2), null);
    }

    private static final Tensor X = Tensor.of(new float[] {1, 2}, 1, 2);

    @Test
    void preHookReplacingInputsTakesEffect() {
        Linear linear = doubling();
        linear.registerForwardPreHook((m, inputs) -> new Tensor[] {Tensor.of(new float[] {10, 20}, 1, 2)});
        assertArrayEquals(new float[] {20, 40}, linear.call(X).toFloatArray());
    }

    @Test
    void preHookReturningNullKeepsInputs() {
        Linear linear = doubling();
        List<Tensor> seen = new ArrayList<>();
        linear.registerForwardPreHook((m, inputs) -> {
            seen.add(inputs[0]);
            return null;
        });
        assertArrayEquals(new float[] {2, 4}, linear.call(X).toFloatArray());
        assertSame(X, seen.getFirst());
    }

    @Test
    void hookReplacingOutputTakesEffectAndSeesReplacedInputs() {
        Linear linear = doubling();
        Tensor replacedInput = Tensor.of(new float[] {5, 5}, 1, 2);
        List<Tensor> hookInputs = new ArrayList<>();
        linear.registerForwardPreHook((m, inputs) -> new Tensor[] {replacedInput});
        linear.registerForwardHook((m, inputs, output) -> {
            hookInputs.add(inputs[0]);
            assertSame(linear, m);
            return OPS.scale(output, -1);
        });
        assertArrayEquals(new float[] {-10, -10}, linear.call(X).toFloatArray());
        assertSame(replacedInput, hookInputs.getFirst());
    }

    @Test
    void hooksRunInRegistrationOrderAndChain() {
        Linear linear = doubling();
        linear.registerForwardHook((m, in, out) -> OPS.scale(out, 3));
        linear.registerForwardHook((m, in, out) -> OPS.add(out, Tensor.of(1f, 1f)));
        assertArrayEquals(new float[] {7, 13}, linear.call(X).toFloatArray());
    }

    @Test
    void hookSwitchDisablesAllHooksAndScopesNest() {
        Linear linear = doubling();
        int[] calls = {0};
        linear.registerForwardPreHook((m, in) -> {
            calls[0]++;
            return new Tensor[] {Tensor.of(new float[] {0, 0}, 1, 2)};
        });
        linear.registerForwardHook((m, in, out) -> {
            calls[0]++;
            return null;
        });
        try (var _ = HookSwitch.disable()) {
            try (var _ = HookSwitch.disable()) {
                assertArrayEquals(new float[] {2, 4}, linear.call(X).toFloatArray());
            }
            assertFalse(HookSwitch.hooksEnabled());
            assertArrayEquals(new float[] {2, 4}, linear.call(X).toFloatArray());
        }
        assertTrue(HookSwitch.hooksEnabled());
        assertEquals(0, calls[0]);
        assertArrayEquals(new float[] {0, 0}, linear.call(X).toFloatArray());
        assertEquals(2, calls[0]);
    }

    @Test
    void removedHooksNoLongerRunAndRemovingTwiceIsHarmless() {
        Linear linear = doubling();
        HookHandle pre = linear.registerForwardPreHook((m, in) -> new Tensor[] {Tensor.of(new float[] {0, 0}, 1, 2)});
        HookHandle post;
        try (HookHandle scoped = linear.registerForwardHook((m, in, out) -> OPS.scale(out, 100))) {
            post = scoped;
            assertArrayEquals(new float[] {0, 0}, linear.call(X).toFloatArray());
            pre.remove();
            assertArrayEquals(new float[] {200, 400}, linear.call(X).toFloatArray());
        }
        assertArrayEquals(new float[] {2, 4}, linear.call(X).toFloatArray());
        pre.remove();
        post.remove();
        assertFalse(linear.hasHooks());
        assertArrayEquals(new float[] {2, 4}, linear.call(X).toFloatArray());
    }
}
