package io.llmc4j.compress.format;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.quantization.QuantizationArgs;
import io.llmc4j.compress.quantization.QuantizationArgsReader;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.QuantizationStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code quantization_config} of a compressed-tensors checkpoint ({@code config.json}), as
 * compressed-tensors 0.18.1 {@code ModelCompressor.update_config} writes it:
 *
 * <pre>
 * "quantization_config": {
 *   "config_groups": {"group_0": {"format", "input_activations", "output_activations", "targets", "weights"}, ...},
 *   "format": "pack-quantized" | ... | "mixed-precision",
 *   "global_compression_ratio": null,
 *   "ignore": [...],
 *   "kv_cache_scheme": {args} | null,
 *   "quant_method": "compressed-tensors",
 *   "quantization_status": "compressed",
 *   "sparsity_config": {},
 *   "transform_config": {},
 *   "version": "0.18.1"
 * }
 * </pre>
 *
 * Keys are sorted at every level, as the library's {@code json.dump(..., sort_keys=True)} leaves them.
 * Each group's scheme carries its format. Immutable.
 *
 * @param configGroups group name → scheme (with its format), in order
 * @param format the top-level format: the single format of the groups, or mixed-precision
 * @param ignore module names (or patterns) left unquantized
 * @param kvCacheScheme KV-cache args, or null
 * @param quantizationStatus {@code compressed} for a written checkpoint
 * @param version the compressed-tensors version the config claims, or null when absent
 */
public record QuantizationConfig(Map<String, QuantizationScheme> configGroups, CompressionFormat format, List<String> ignore,
                                 QuantizationArgs kvCacheScheme, QuantizationStatus quantizationStatus, String version) {
    /** {@code quant_method} of compressed-tensors checkpoints. */
    public static final String QUANT_METHOD = "compressed-tensors";
    /** The compressed-tensors version whose output llmc4j reproduces, written as {@code version}. */
    public static final String COMPRESSED_TENSORS_VERSION = "0.18.1";
    /** The key of this config in {@code config.json}. */
    public static final String CONFIG_KEY = "quantization_config";

    private static final ObjectMapper JSON = new ObjectMapper();

    public QuantizationConfig {
        configGroups = Collections.unmodifiableMap(new LinkedHashMap<>(configGroups));
        ignore = List.copyOf(ignore);
    }

    /**
     * The config for {@code spec}: groups named {@code group_0}, {@code group_1}, ... in order, each
     * with its format ({@link FormatInference#forScheme}); the top-level format summarises them.
     */
    public static QuantizationConfig of(QuantizationConfigSpec spec) {
        Map<String, QuantizationScheme> groups = new LinkedHashMap<>();
        List<CompressionFormat> formats = new ArrayList<>();
        for (int i = 0; i < spec.configGroups().size(); i++) {
            QuantizationScheme s = spec.configGroups().get(i);
            CompressionFormat f = FormatInference.forScheme(s);
            formats.add(f);
            groups.put("group_" + i, new QuantizationScheme(s.targets(), s.weights(), s.inputActivations(), s.outputActivations(), f.value()));
        }
        return new QuantizationConfig(groups, FormatInference.summarize(formats), spec.ignore(), spec.kvCacheScheme(),
                QuantizationStatus.COMPRESSED, COMPRESSED_TENSORS_VERSION);
    }

    /** The format modules of group {@code group} are stored in: the group's own, else the top-level one. */
    public CompressionFormat formatOf(String group) {
        QuantizationScheme scheme = configGroups.get(group);
        if (scheme == null) throw new IllegalArgumentException("no config group '" + group + "', groups are " + configGroups.keySet());
        if (scheme.format() != null) return CompressionFormat.parse(scheme.format());
        if (format != CompressionFormat.MIXED_PRECISION) return format;
        return FormatInference.infer(scheme);
    }

    /** The {@code quantization_config} tree, keys sorted at every level. */
    public ObjectNode toJson() {
        Map<String, Object> groups = new LinkedHashMap<>();
        configGroups.forEach((name, scheme) -> groups.put(name, scheme.toJson()));
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("config_groups", groups);
        tree.put("format", format.value());
        tree.put("global_compression_ratio", null);
        tree.put("ignore", ignore);
        tree.put("kv_cache_scheme", kvCacheScheme == null ? null : kvCacheScheme.toJson());
        tree.put("quant_method", QUANT_METHOD);
        tree.put("quantization_status", quantizationStatus.value());
        tree.put("sparsity_config", Map.of());
        tree.put("transform_config", Map.of());
        tree.put("version", version);
        return (ObjectNode) sorted(JSON.valueToTree(tree));
    }

    /**
     * Reads a {@code quantization_config} tree; {@code origin} (the config file) prefixes errors.
     *
     * @throws FormatException naming the key when the config is not a compressed-tensors config, uses
     *                         sparsity or transforms (not supported by this reader), or is malformed
     */
    public static QuantizationConfig parse(JsonNode node, String origin) {
        String at = origin + ": " + CONFIG_KEY;
        if (node == null || !node.isObject()) throw new FormatException(at + " must be an object, found " + kind(node));
        JsonNode method = node.get("quant_method");
        if (method == null || !QUANT_METHOD.equals(method.asText()))
            throw new FormatException(at + ".quant_method must be \"" + QUANT_METHOD + "\", found " + kind(method));
        for (String unsupported : List.of("sparsity_config", "transform_config")) {
            JsonNode n = node.get(unsupported);
            if (n != null && !n.isNull() && !(n.isObject() && n.isEmpty()))
                throw new FormatException(at + "." + unsupported + " is not supported by this reader (found " + n + "); only quantized checkpoints load");
        }
        JsonNode groupsNode = node.get("config_groups");
        if (groupsNode == null || !groupsNode.isObject())
            throw new FormatException(at + ".config_groups must be an object of schemes, found " + kind(groupsNode));
        Map<String, QuantizationScheme> groups = new LinkedHashMap<>();
        for (var entry : groupsNode.properties()) {
            String path = CONFIG_KEY + ".config_groups." + entry.getKey();
            if (!entry.getValue().isObject()) throw new FormatException(origin + ": " + path + " must be an object, found " + kind(entry.getValue()));
            try {
                groups.put(entry.getKey(), QuantizationScheme.read(map(entry.getValue()), path));
            } catch (IllegalArgumentException e) {
                throw new FormatException(origin + ": " + e.getMessage(), e);
            }
        }
        CompressionFormat format;
        JsonNode formatNode = node.get("format");
        if (formatNode == null || formatNode.isNull()) {
            List<CompressionFormat> formats = new ArrayList<>();
            for (QuantizationScheme s : groups.values()) formats.add(s.format() != null ? CompressionFormat.parse(s.format()) : FormatInference.infer(s));
            format = FormatInference.summarize(formats);
        } else {
            try {
                format = CompressionFormat.parse(formatNode.asText());
            } catch (IllegalArgumentException e) {
                throw new FormatException(at + ".format: " + e.getMessage(), e);
            }
        }
        List<String> ignore = new ArrayList<>();
        JsonNode ignoreNode = node.get("ignore");
        if (ignoreNode != null && !ignoreNode.isNull()) {
            if (!ignoreNode.isArray()) throw new FormatException(at + ".ignore must be a list of module names, found " + kind(ignoreNode));
            for (JsonNode n : ignoreNode) {
                if (!n.isTextual()) throw new FormatException(at + ".ignore must hold strings, found " + kind(n));
                ignore.add(n.textValue());
            }
        }
        QuantizationArgs kv = null;
        JsonNode kvNode = node.get("kv_cache_scheme");
        if (kvNode != null && !kvNode.isNull()) {
            if (!kvNode.isObject()) throw new FormatException(at + ".kv_cache_scheme must be an object or null, found " + kind(kvNode));
            try {
                kv = QuantizationArgsReader.read(map(kvNode), CONFIG_KEY + ".kv_cache_scheme");
            } catch (QuantizationConfigException e) {
                throw new FormatException(origin + ": " + e.getMessage(), e);
            }
        }
        QuantizationStatus status = QuantizationStatus.COMPRESSED;
        JsonNode statusNode = node.get("quantization_status");
        if (statusNode != null && !statusNode.isNull()) {
            try {
                status = QuantizationStatus.parse(statusNode.asText());
            } catch (QuantizationConfigException e) {
                throw new FormatException(at + "." + e.getMessage(), e);
            }
        }
        JsonNode versionNode = node.get("version");
        String version = versionNode == null || versionNode.isNull() ? null : versionNode.asText();
        return new QuantizationConfig(groups, format, ignore, kv, status, version);
    }

    private static Map<String, Object> map(JsonNode node) {
        return JSON.convertValue(node, new TypeReference<Map<String, Object>>() { });
    }

    private static String kind(JsonNode node) {
        if (node == null) return "nothing";
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + node;
    }

    /** A copy of {@code node} whose objects list their keys in code point order. */
    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> keys = new TreeMap<>();
            node.properties().forEach(e -> keys.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            keys.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }
}
