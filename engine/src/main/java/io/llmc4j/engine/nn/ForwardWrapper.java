package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;
import java.util.function.Function;

/**
 * Replaces how a module computes its output, around its own forward (compressed-tensors'
 * {@code wrap_module_forward_quantized}). Unlike hooks, a wrapper is part of the module's
 * computation: {@link HookSwitch} does not disable it, so it also runs when a pipeline propagates
 * activations with hooks off.
 */
@FunctionalInterface
public interface ForwardWrapper {
    /** Computes the output; {@code forward} runs the module's own forward on the given inputs. */
    Tensor apply(Module module, Tensor[] inputs, Function<Tensor[], Tensor> forward);
}
