package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;

/** Runs after a module's forward; may return a replacement output, or null to keep it. */
@FunctionalInterface
public interface ForwardHook {
    Tensor apply(Module module, Tensor[] inputs, Tensor output);
}
