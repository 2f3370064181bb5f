package io.llmc4j.compress.quantization;

/**
 * A quantization setting (recipe key) that is missing, malformed or inconsistent. The message names the
 * key, what was expected and what was found; {@link #key()} returns the key alone.
 */
public final class QuantizationConfigException extends IllegalArgumentException {
    private final String key;

    public QuantizationConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The recipe key at fault, e.g. {@code group_size}. */
    public String key() {
        return key;
    }
}
