package io.llmc4j.engine.models;

/**
 * A Hugging Face {@code config.json} that cannot describe a supported model. The message names the
 * file, the key, what was expected and what was found.
 */
public final class ModelConfigException extends IllegalArgumentException {
    private final String origin;
    private final String key;
    private final String problem;

    public ModelConfigException(String origin, String key, String problem) {
        super(origin + ": " + (key == null ? "" : "'" + key + "' ") + problem);
        this.origin = origin;
        this.key = key;
        this.problem = problem;
    }

    /** The same problem reported against another origin (e.g. the file's path instead of "config.json"). */
    public ModelConfigException withOrigin(String newOrigin) {
        return new ModelConfigException(newOrigin, key, problem);
    }

    /** The file or description the configuration came from. */
    public String origin() {
        return origin;
    }

    /** The offending key, or null when the problem is not about one key. */
    public String key() {
        return key;
    }

    /** What is wrong, without the origin and key. */
    public String problem() {
        return problem;
    }
}
