package io.llmc4j.engine.io.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;

/**
 * The strict JSON reader shared by the header and index parsers: duplicate keys and trailing tokens
 * are errors, and error locations do not echo the (possibly huge) source text.
 */
final class SafetensorsJson {
    static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafetensorsJson() {
    }

    /** Parses {@code text}; a syntax error becomes a {@link SafetensorsException} naming {@code file}. */
    static JsonNode parse(Path file, String what, String text) {
        try {
            return STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new SafetensorsException(file, what + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /** "an object", "a string", ... for messages. */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) return "nothing";
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list " + node;
            case STRING -> "the string " + node;
            case NUMBER -> "the number " + node;
            case BOOLEAN -> "the boolean " + node;
            case NULL -> "null";
            case BINARY, POJO, MISSING -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The non-negative long in {@code node}, or -1 when it is not a non-negative integer that fits a long. */
    static long nonNegativeLong(JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) return -1;
        long value = node.longValue();
        return value < 0 ? -1 : value;
    }
}
