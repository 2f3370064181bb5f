package io.llmc4j.engine.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmc4j.engine.nn.RopeScaling;

/**
 * Reads {@code rope_scaling} (or, in newer configs, {@code rope_parameters}) into a
 * {@link RopeScaling}. The type is under {@code rope_type} or the older {@code type}.
 */
final class RopeScalingParser {
    private RopeScalingParser() {
    }

    static RopeScaling parse(ConfigFields f, JsonNode ropeParameters) {
        String key = "rope_scaling";
        JsonNode node = f.node(key);
        if (node == null && ropeParameters != null) {
            key = "rope_parameters";
            node = ropeParameters;
        }
        if (node == null) return new RopeScaling.None();
        if (!node.isObject()) throw f.error(key, "must be an object or null, found " + node);
        JsonNode typeNode = node.hasNonNull("rope_type") ? node.get("rope_type") : node.get("type");
        String typeKey = key + (node.hasNonNull("rope_type") ? ".rope_type" : ".type");
        if (typeNode == null || typeNode.isNull()) {
            if (key.equals("rope_parameters")) return new RopeScaling.None();
            throw f.error(key + ".rope_type", "is required when rope_scaling is given, found nothing");
        }
        if (!typeNode.isTextual()) throw f.error(typeKey, "must be a string, found " + typeNode);
        try {
            return switch (typeNode.textValue()) {
                case "default" -> new RopeScaling.None();
                case "linear" -> new RopeScaling.Linear(number(f, node, key, "factor"));
                case "llama3" -> new RopeScaling.Llama3(
                        number(f, node, key, "factor"),
                        number(f, node, key, "low_freq_factor"),
                        number(f, node, key, "high_freq_factor"),
                        number(f, node, key, "original_max_position_embeddings"));
                case "yarn" -> new RopeScaling.Yarn(
                        number(f, node, key, "factor"),
                        optional(f, node, key, "beta_fast", 32),
                        optional(f, node, key, "beta_slow", 1),
                        optional(f, node, key, "original_max_position_embeddings", maxPositions(f)),
                        !node.has("truncate") || node.get("truncate").asBoolean(true),
                        optional(f, node, key, "attention_factor", Double.NaN),
                        optional(f, node, key, "mscale", 0),
                        optional(f, node, key, "mscale_all_dim", 0));
                default -> throw f.error(typeKey, "\"" + typeNode.textValue() + "\" is not supported; supported rope types: default, linear, llama3, yarn");
            };
        } catch (ModelConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw f.error(key, e.getMessage());
        }
    }

    private static double optional(ConfigFields f, JsonNode node, String key, String field, double fallback) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? fallback : f.positiveDouble(key + "." + field, n);
    }

    private static double maxPositions(ConfigFields f) {
        return f.optionalPositiveInt("max_position_embeddings", 2048);
    }

    private static double number(ConfigFields f, JsonNode node, String key, String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) throw f.error(key + "." + field, "is required for rope type " + node.path("rope_type").asText(node.path("type").asText()) + ", found nothing");
        return f.positiveDouble(key + "." + field, n);
    }
}
