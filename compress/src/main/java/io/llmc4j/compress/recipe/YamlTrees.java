package io.llmc4j.compress.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads YAML recipe text into a tree as PyYAML's {@code yaml.safe_load} (which LLM Compressor uses)
 * does: YAML 1.1 scalars ({@code yes}/{@code on} are booleans, {@code 0x1F} and {@code 010} are
 * integers), anchors and aliases resolved to the anchored value, merge keys ({@code <<: *base},
 * {@code <<: [*a, *b]}) merged with the mapping's own keys winning, no tag ever constructing an
 * object. Beyond safe_load, for safety and clarity:
 *
 * <ul>
 *   <li>a key given twice in one mapping is an error (safe_load keeps the last);</li>
 *   <li>at most {@value #MAX_ALIASES} aliases to collections, and at most {@value #MAX_VALUES} values
 *       once aliases are expanded (against "billion laughs" input); an alias inside itself is refused;</li>
 *   <li>values a recipe cannot hold (timestamps, binary, sets, non-string keys) are refused, naming
 *       them, rather than turned into text.</li>
 * </ul>
 *
 * <p>Errors are one-line {@link RecipeException}s: {@code not valid YAML at line L, column C: problem
 * ...: <the offending line>}. Stateless.
 */
final class YamlTrees {
    /** Aliases to collections (sequences, mappings) one document may hold. */
    static final int MAX_ALIASES = 100;
    /** Values (scalars and collections) a document may expand to through aliases. */
    static final int MAX_VALUES = 100_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlTrees() {
    }

    /** The tree of {@code text}; {@code source} names the recipe in errors (may be null). */
    static JsonNode read(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        Object loaded;
        try {
            loaded = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            throw new RecipeException(source, "", describe(e, text), e);
        } catch (YAMLException e) {
            throw new RecipeException(source, "", "not valid YAML: " + oneLine(e.getMessage()), e);
        }
        return new Converter().node(loaded, "");
    }

    /** {@code not valid YAML at line L, column C: <problem> (<context>): <line text>}. */
    private static String describe(MarkedYAMLException e, String text) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        StringBuilder out = new StringBuilder("not valid YAML");
        if (mark != null) out.append(" at line ").append(mark.getLine() + 1).append(", column ").append(mark.getColumn() + 1);
        out.append(": ").append(oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage()));
        if (e.getContext() != null && e.getProblem() != null) out.append(" (").append(oneLine(e.getContext())).append(")");
        if (mark != null) {
            String line = lineAt(text, mark.getLine());
            if (!line.isBlank()) out.append(": '").append(line.replace("\t", "\\t")).append("'");
        }
        return out.toString();
    }

    private static String lineAt(String text, int index) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        if (index < 0 || index >= lines.length) return "";
        String line = lines[index].stripTrailing();
        return line.length() <= 120 ? line : line.substring(0, 120) + "...";
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    /** Java values from SafeConstructor to a tree, counting values and refusing cycles. */
    private static final class Converter {
        private final Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());
        private long values;

        JsonNode node(Object value, String path) {
            if (++values > MAX_VALUES)
                throw new RecipeException(path, "the recipe expands to more than " + MAX_VALUES
                        + " values through aliases; refusing it (a recipe this large is almost surely an alias bomb)");
            return switch (value) {
                case null -> NODES.nullNode();
                case String s -> NODES.textNode(s);
                case Boolean b -> NODES.booleanNode(b);
                case Integer i -> NODES.numberNode(i);
                case Long l -> NODES.numberNode(l);
                case BigInteger b -> NODES.numberNode(b);
                case Double d -> NODES.numberNode(d);
                case Map<?, ?> map -> enter(map, path, () -> mapping(map, path));
                case List<?> list -> enter(list, path, () -> sequence(list, path));
                default -> throw new RecipeException(path, "expected a string, number, boolean, null, list or mapping, found "
                        + kind(value) + " (" + value + "); quote it if you meant the text");
            };
        }

        private JsonNode enter(Object collection, String path, java.util.function.Supplier<JsonNode> build) {
            if (!open.add(collection)) throw new RecipeException(path, "an alias refers to a collection that contains it (a cycle)");
            try {
                return build.get();
            } finally {
                open.remove(collection);
            }
        }

        private ObjectNode mapping(Map<?, ?> map, String path) {
            ObjectNode object = NODES.objectNode();
            for (var entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key))
                    throw new RecipeException(path, "expected string keys, found " + kind(entry.getKey()) + " key " + entry.getKey()
                            + " (YAML 1.1 reads yes/no/on/off/true/false as booleans and digits as numbers; quote the key)");
                object.set(key, node(entry.getValue(), path.isEmpty() ? key : path + "." + key));
            }
            return object;
        }

        private ArrayNode sequence(List<?> list, String path) {
            ArrayNode array = NODES.arrayNode();
            List<Object> items = new ArrayList<>(list);
            for (int i = 0; i < items.size(); i++) array.add(node(items.get(i), path + "[" + i + "]"));
            return array;
        }

        private static String kind(Object value) {
            return switch (value) {
                case null -> "null";
                case Boolean b -> "a boolean";
                case Number n -> "a number";
                case java.util.Date d -> "a timestamp";
                case byte[] b -> "binary data";
                case Set<?> s -> "a set";
                default -> "a " + value.getClass().getSimpleName();
            };
        }
    }
}
