package io.llmc4j.engine.nn;

import io.llmc4j.engine.tensor.Tensor;

/** Runs before a module's forward; may return replacement inputs, or null to keep them. */
@FunctionalInterface
public interface ForwardPreHook {
    Tensor[] apply(Module module, Tensor[] inputs);
}
