package io.llmc4j.engine.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A value inside a {@code tokenizer.json} together with its dotted path, so that every error names
 * the file, the key and the value found. Absent keys and JSON {@code null} read the same.
 */
final class JsonField {
    private static final int MAX_SHOWN_CHARS = 160;

    private final String source;
    private final String path;
    private final JsonNode node;

    private JsonField(String source, String path, JsonNode node) {
        this.source = source;
        this.path = path;
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    static JsonField root(String source, JsonNode node) {
        return new JsonField(source, "", node);
    }

    JsonField get(String name) {
        return new JsonField(source, path.isEmpty() ? name : path + "." + name, node.get(name));
    }

    String path() {
        return path;
    }

    JsonNode node() {
        return node;
    }

    boolean isAbsent() {
        return node.isMissingNode() || node.isNull();
    }

    boolean has(String name) {
        return !get(name).isAbsent();
    }

    /** The required string value. */
    String text() {
        if (!node.isTextual())
            throw fail("expected a string");
        return node.textValue();
    }

    Optional<String> optionalText() {
        return isAbsent() ? Optional.empty() : Optional.of(text());
    }

    /** The {@code type} member of this object. */
    String type() {
        return get("type").text();
    }

    boolean bool(boolean whenAbsent) {
        if (isAbsent())
            return whenAbsent;
        if (!node.isBoolean())
            throw fail("expected true or false");
        return node.booleanValue();
    }

    int intValue() {
        if (!node.isIntegralNumber() || !node.canConvertToInt())
            throw fail("expected an integer");
        return node.intValue();
    }

    int nonNegativeInt() {
        int value = intValue();
        if (value < 0)
            throw fail("expected a non-negative integer");
        return value;
    }

    /** The elements of the required array, each with its indexed path. */
    List<JsonField> elements() {
        if (!node.isArray())
            throw fail("expected an array");
        List<JsonField> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++)
            out.add(new JsonField(source, path + "[" + i + "]", node.get(i)));
        return out;
    }

    /** The members of the required object, each with its path. */
    List<Member> members() {
        if (!node.isObject())
            throw fail("expected an object");
        List<Member> out = new ArrayList<>(node.size());
        node.properties().forEach(e -> out.add(new Member(e.getKey(), get(e.getKey()))));
        return out;
    }

    record Member(String name, JsonField value) {
    }

    /** An error at this key: {@code expected}, and the value found. */
    TokenizerJsonException fail(String expected) {
        return new TokenizerJsonException(source, path, expected + ", found " + shown());
    }

    /** An error for a value this implementation does not support. */
    TokenizerJsonException unsupported(String supported) {
        return new TokenizerJsonException(source, path, "unsupported value " + shown() + " (supported: " + supported + ")");
    }

    private String shown() {
        if (node.isMissingNode())
            return "nothing (key absent)";
        String text = node.toString();
        return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
    }
}
