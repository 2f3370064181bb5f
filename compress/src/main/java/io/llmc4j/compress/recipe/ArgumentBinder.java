package io.llmc4j.compress.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        } catch (UnrecognizedPropertyException e) {
            String key = e.getPropertyName();
            Collection<String> valid = new TreeSet<>();
            for (Object id : e.getKnownPropertyIds()) valid.add(String.valueOf(id));
            if (e.getPath().size() == 1) valid.addAll(RecipeParser.COMMON_KEYS);
            throw new RecipeException(null, join(path, e.getPath()), "unknown key '" + key + "' for " + type.name() + "."
                    + ClosestMatch.hint(key, valid) + " Valid keys: " + valid, e);
        } catch (ValueInstantiationException e) {
            String at = join(path, e.getPath());
            if (e.getCause() instanceof RecipeException r) throw r.under(null, at);
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage();
            throw new RecipeException(null, at, "invalid arguments for " + type.name() + ": " + reason, e);
        } catch (MismatchedInputException e) {
            JsonNode found = find(merged, e.getPath());
            String expected = e instanceof InvalidNullException ? "a value" : describe(e.getTargetType());
            throw new RecipeException(null, join(path, e.getPath()), "expected " + expected + ", found " + show(found), e);
        } catch (JsonProcessingException e) {
            String at = e instanceof JsonMappingException m ? join(path, m.getPath()) : path;
            throw new RecipeException(null, at, "cannot bind the arguments of " + type.name() + ": " + e.getOriginalMessage(), e);
        }
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
