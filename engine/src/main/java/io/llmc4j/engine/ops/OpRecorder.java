package io.llmc4j.engine.ops;

import io.llmc4j.engine.tensor.Tensor;

/**
 * Receives the operations applied to symbolic tensors. A symbolic tensor whose
 * {@link Tensor#traceTag()} is an {@code OpRecorder} routes every {@link Ops} call that takes it to
 * {@link #record}, which returns the symbolic result instead of computing anything.
 */
public interface OpRecorder {
    /** Records {@code op} applied to {@code args} (tensors and constants) and returns its symbolic result. */
    Tensor record(OpCode op, Object[] args);
}
