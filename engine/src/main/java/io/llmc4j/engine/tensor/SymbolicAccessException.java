package io.llmc4j.engine.tensor;

/**
 * Thrown when code reads or writes the data of a symbolic (traced) tensor: a branch on tensor values,
 * which the tracer cannot record. The tracer turns it into a {@code TraceException} naming the module.
 */
public final class SymbolicAccessException extends RuntimeException {
    private final transient Tensor tensor;

    public SymbolicAccessException(String operation, Tensor tensor) {
        super(operation + " on a symbolic tensor " + tensor.dtype() + tensor.shape()
                + ": its values are unknown while tracing (control flow on tensor values cannot be traced)");
        this.tensor = tensor;
    }

    public Tensor tensor() {
        return tensor;
    }
}
