package io.llmc4j.compress.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Binds a modifier's recipe arguments to its argument type (defaults overridden key by key) and
 * turns the arguments back into a tree; translates Jackson's errors into {@link RecipeException}s
 * that name the key path, the expected type and the value found. Thread-safe.
 */
final class ArgumentBinder {
    private final ObjectMapper mapper = RecipeMappers.arguments();

    /** {@code given} over {@code type}'s defaults, bound; {@code path} is the modifier's recipe path. */
    <A> A bind(ModifierType<A> type, ObjectNode given, String path) {
        ObjectNode merged = defaultsTree(type);
        merged.setAll(given);
        try {
            return mapper.treeToValue(merged, type.argumentType());
        } catch (JsonProcessingException e) {
            throw translate(type, merged, path, e);
        }
    }

    private RecipeException translate(ModifierType<?> type, ObjectNode merged, String path, JsonProcessingException error) {
        return switch (error) {
            case UnrecognizedPropertyException e -> unknownKey(type, path, e);
            case ValueInstantiationException e -> {
                String at = join(path, e.getPath());
                if (e.getCause() instanceof RecipeException r) yield r.under(null, at);
                String reason = e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage();
                yield new RecipeException(null, at, "invalid arguments for " + type.name() + ": " + reason, e);
            }
            case MismatchedInputException e -> mismatch(type, merged, path, e);
            case JsonMappingException e -> new RecipeException(null, join(path, e.getPath()),
                    "cannot bind the arguments of " + type.name() + ": " + e.getOriginalMessage(), e);
            default -> new RecipeException(null, path, "cannot bind the arguments of " + type.name() + ": "
                    + error.getOriginalMessage(), error);
        };
    }

    private static RecipeException unknownKey(ModifierType<?> type, String path, UnrecognizedPropertyException e) {
        String key = e.getPropertyName();
        Collection<String> valid = new TreeSet<>();
        for (Object id : e.getKnownPropertyIds()) valid.add(String.valueOf(id));
        List<JsonMappingException.Reference> parents = e.getPath().subList(0, Math.max(0, e.getPath().size() - 1));
        if (parents.isEmpty()) valid.addAll(RecipeParser.COMMON_KEYS);
        if (parents.isEmpty() && ReferenceKeys.defines(type.name(), key))
            return new RecipeException(null, join(path, parents) + "." + key, "'" + key + "' of " + type.name()
                    + " (an LLM Compressor key) is not supported by llmc4j yet; remove it. Supported keys: " + valid, e);
        return new RecipeException(null, join(path, parents) + "." + key, "unknown key '" + key + "' for " + type.name() + "."
                + ClosestMatch.hint(key, valid) + " Valid keys: " + valid, e);
    }

    private RecipeException mismatch(ModifierType<?> type, ObjectNode merged, String path, MismatchedInputException e) {
        List<JsonMappingException.Reference> at = e.getPath();
        JsonNode found = find(merged, at);
        String expected = describe(e.getTargetType());
        if (found == null && !at.isEmpty() && at.getLast().getFieldName() == null) {
            JsonNode parent = find(merged, at.subList(0, at.size() - 1));
            if (parent != null && !parent.isArray()) {   // a single value where a list is expected
                at = at.subList(0, at.size() - 1);
                found = parent;
                expected += " or a list of them";
            }
        }
        if (found == null) {
            // A key is missing (inside a nested mapping the recipe replaced): if that mapping also has
            // an unknown key, it is likely the misspelt missing one, so report it instead. Jackson only
            // looks at unknown keys after the missing one failed, hence the second, lenient pass.
            try {
                mapper.readerFor(type.argumentType()).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).readValue(merged);
            } catch (UnrecognizedPropertyException unknown) {
                return unknownKey(type, path, unknown);
            } catch (IOException | RuntimeException other) {
                // no unknown key: the missing key is the error
            }
            return new RecipeException(null, join(path, at), "expected " + expected + ", found nothing (the key is missing)", e);
        }
        return new RecipeException(null, join(path, at), "expected " + expected + ", found " + show(found), e);
    }

    /**
     * {@code arguments} as a tree of recipe keys: every non-null value, and a null only where the
     * default is not null (so that reading the tree back gives the same arguments).
     */
    ObjectNode toTree(ModifierType<?> type, Object arguments) {
        ObjectNode tree = mapper.valueToTree(arguments);
        ObjectNode defaults = defaultsTree(type);
        List<String> redundantNulls = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            JsonNode fallback = defaults.get(e.getKey());
            if (e.getValue().isNull() && (fallback == null || fallback.isNull())) redundantNulls.add(e.getKey());
        }
        tree.remove(redundantNulls);
        return tree;
    }

    /** The recipe keys of {@code type}'s arguments (its defaults' properties). */
    List<String> keys(ModifierType<?> type) {
        List<String> keys = new ArrayList<>();
        defaultsTree(type).fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private ObjectNode defaultsTree(ModifierType<?> type) {
        JsonNode tree = mapper.valueToTree(type.defaults());
        if (!(tree instanceof ObjectNode object))
            throw new IllegalArgumentException("the defaults of modifier type " + type.name() + " are written as "
                    + tree.getNodeType() + ", not as a mapping; argument types must be records or beans");
        return object;
    }

    private static String join(String path, List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder(path);
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) out.append(out.isEmpty() ? "" : ".").append(r.getFieldName());
            else if (r.getIndex() >= 0) out.append('[').append(r.getIndex()).append(']');
        }
        return out.toString();
    }

    private static JsonNode find(JsonNode root, List<JsonMappingException.Reference> references) {
        JsonNode node = root;
        for (JsonMappingException.Reference r : references) {
            if (node == null) return null;
            node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
        }
        return node;
    }

    /** Words for what a Java type accepts, e.g. "an integer (int)". */
    static String describe(Class<?> type) {
        if (type == null) return "another type";
        String words;
        if (type == int.class || type == long.class || type == short.class || type == byte.class || type == Integer.class
                || type == Long.class || type == Short.class || type == Byte.class || type == java.math.BigInteger.class)
            words = "an integer";
        else if (type == float.class || type == double.class || Number.class.isAssignableFrom(type)) words = "a number";
        else if (type == boolean.class || type == Boolean.class) words = "a boolean (true or false)";
        else if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) words = "a string";
        else if (type.isEnum()) words = "one of " + java.util.Arrays.toString(type.getEnumConstants());
        else if (Collection.class.isAssignableFrom(type) || type.isArray()) words = "a list";
        else words = "a mapping";
        return words + " (" + type.getSimpleName() + ")";
    }

    /** The value as the recipe wrote it, with its YAML kind. */
    static String show(JsonNode node) {
        if (node == null || node.isMissingNode()) return "nothing";
        if (node.isNull()) return "null";
        String kind = node.isTextual() ? "a string" : node.isIntegralNumber() ? "an integer" : node.isNumber() ? "a number"
                : node.isBoolean() ? "a boolean" : node.isArray() ? "a list" : "a mapping";
        return node + " (" + kind + ")";
    }
}
