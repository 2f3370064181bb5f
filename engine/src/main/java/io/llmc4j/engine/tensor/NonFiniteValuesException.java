package io.llmc4j.engine.tensor;

/**
 * A tensor that must hold finite numbers holds NaN or ±Inf (a corrupt weight, or activations that
 * overflowed); the message names the module and tensor (or the data) and where. A fault of the input,
 * so an {@link IllegalArgumentException}: computing on would write NaN/Inf scales, or a perplexity of
 * NaN, as if all were well.
 */
public final class NonFiniteValuesException extends IllegalArgumentException {
    public NonFiniteValuesException(String message) {
        super(message);
    }

    public NonFiniteValuesException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first {@link NonFiniteValuesException} in {@code failure}'s cause chain (itself included), or null. */
    public static NonFiniteValuesException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
            if (t instanceof NonFiniteValuesException e) return e;
        return null;
    }
}
