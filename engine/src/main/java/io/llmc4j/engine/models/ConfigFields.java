package io.llmc4j.engine.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of {@code config.json} keys; every failure names the file and the key. */
final class ConfigFields {
    private final ObjectNode json;
    private final String origin;

    ConfigFields(ObjectNode json, String origin) {
        this.json = json;
        this.origin = origin;
    }

    String origin() {
        return origin;
    }

    ObjectNode json() {
        return json;
    }

    ModelConfigException error(String key, String problem) {
        return new ModelConfigException(origin, key, problem);
    }

    /** True when the key is present with a non-null value. */
    boolean has(String key) {
        JsonNode n = json.get(key);
        return n != null && !n.isNull();
    }

    JsonNode node(String key) {
        JsonNode n = json.get(key);
        return n == null || n.isNull() ? null : n;
    }

    String requiredString(String key) {
        String s = optionalString(key, null);
        if (s == null) throw error(key, "is required, found nothing");
        return s;
    }

    String optionalString(String key, String fallback) {
        JsonNode n = node(key);
        if (n == null) return fallback;
        if (!n.isTextual()) throw error(key, "must be a string, found " + n);
        return n.textValue();
    }

    int requiredPositiveInt(String key) {
        if (!has(key)) throw error(key, "is required (a positive integer), found nothing");
        return positiveInt(key, node(key));
    }

    int optionalPositiveInt(String key, int fallback) {
        return has(key) ? positiveInt(key, node(key)) : fallback;
    }

    Integer optionalPositiveInt(String key) {
        return has(key) ? positiveInt(key, node(key)) : null;
    }

    private int positiveInt(String key, JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() <= 0)
            throw error(key, "must be a positive integer, found " + n);
        return n.intValue();
    }

    Integer optionalTokenId(String key) {
        JsonNode n = node(key);
        if (n == null) return null;
        return tokenId(key, n);
    }

    /** An integer or a list of integers (Llama 3's {@code eos_token_id}); empty when absent. */
    List<Integer> tokenIdList(String key) {
        JsonNode n = node(key);
        List<Integer> out = new ArrayList<>();
        if (n == null) return out;
        if (n.isArray()) {
            for (JsonNode e : n) out.add(tokenId(key, e));
        } else {
            out.add(tokenId(key, n));
        }
        return out;
    }

    private int tokenId(String key, JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0)
            throw error(key, "must be a non-negative integer token id (or a list of them), found " + n);
        return n.intValue();
    }

    double optionalPositiveDouble(String key, double fallback) {
        JsonNode n = node(key);
        if (n == null) return fallback;
        return positiveDouble(key, n);
    }

    double positiveDouble(String key, JsonNode n) {
        if (!n.isNumber() || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue()))
            throw error(key, "must be a positive number, found " + n);
        return n.doubleValue();
    }

    boolean optionalBoolean(String key, boolean fallback) {
        JsonNode n = node(key);
        if (n == null) return fallback;
        if (!n.isBoolean()) throw error(key, "must be true or false, found " + n);
        return n.booleanValue();
    }
}
