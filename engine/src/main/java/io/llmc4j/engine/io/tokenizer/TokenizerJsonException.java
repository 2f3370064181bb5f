package io.llmc4j.engine.io.tokenizer;

/**
 * A {@code tokenizer.json} that cannot be loaded: malformed, inconsistent, or using a component this
 * implementation does not support. The message names the file, the JSON key (a dotted path such as
 * {@code pre_tokenizer.pretokenizers[1].type}) and the value found there.
 */
public final class TokenizerJsonException extends IllegalArgumentException {
    private final String source;
    private final String key;

    TokenizerJsonException(String source, String key, String message) {
        super(source + ": key '" + (key.isEmpty() ? "<root>" : key) + "': " + message);
        this.source = source;
        this.key = key;
    }

    /** The file (or description) the JSON came from. */
    public String source() {
        return source;
    }

    /** The dotted JSON path of the offending value; empty for the document root. */
    public String key() {
        return key;
    }
}
