package io.llmc4j.compress.recipe;

/**
 * A recipe that cannot be read or built: the message names the recipe (file) when known, the key
 * path inside it (e.g. {@code quant_stage.quant_modifiers.QuantizationModifier.targets}), what was
 * expected and what was found.
 */
public final class RecipeException extends IllegalArgumentException {
    private final String source;
    private final String path;
    private final String detail;

    /** An error at {@code path} (a key or dotted key path); {@code detail} says expected and found. */
    public RecipeException(String path, String detail) {
        this(null, path, detail, null);
    }

    public RecipeException(String source, String path, String detail, Throwable cause) {
        super(format(source, path, detail), cause);
        this.source = source;
        this.path = path;
        this.detail = detail;
    }

    /** The recipe file or other source name, or null. */
    public String source() {
        return source;
    }

    /** The key path inside the recipe, or "" for the whole recipe. */
    public String path() {
        return path;
    }

    /** What was expected and found, without the source and path. */
    public String detail() {
        return detail;
    }

    /** This error, placed under {@code prefix} and attributed to {@code newSource}. */
    RecipeException under(String newSource, String prefix) {
        String joined = prefix.isEmpty() ? path : path.isEmpty() ? prefix : prefix + "." + path;
        return new RecipeException(newSource != null ? newSource : source, joined, detail, getCause() != null ? getCause() : this);
    }

    /** This error with {@code extra} appended to its detail. */
    RecipeException withHint(String extra) {
        return new RecipeException(source, path, detail + " " + extra, getCause());
    }

    private static String format(String source, String path, String detail) {
        String where = (source != null ? source + ": " : "") + (path == null || path.isEmpty() ? "" : path + ": ");
        return where + detail;
    }
}
