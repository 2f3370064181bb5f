package io.llmc4j.engine.io.safetensors;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The Hugging Face sharded-checkpoint index, {@code model.safetensors.index.json}:
 * <pre>
 * {"metadata": {"total_size": 123}, "weight_map": {"tensor name": "model-00001-of-00002.safetensors", ...}}
 * </pre>
 * {@code weightMap} maps every tensor name to the shard file (relative to the index's directory) that
 * holds it; {@code totalSize} is the sum of the tensors' data bytes, when given.
 */
record CheckpointIndex(Map<String, String> weightMap, OptionalLong totalSize) {
    static final String FILE_NAME = "model.safetensors.index.json";

    CheckpointIndex {
        weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
    }

    /** Reads and checks an index file: an object whose "weight_map" maps strings to strings. */
    static CheckpointIndex read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SafetensorsException(file, "cannot read the index: " + e, e);
        }
        JsonNode root = SafetensorsJson.parse(file, "index", text);
        if (!root.isObject())
            throw new SafetensorsException(file, "index must be a JSON object with a \"weight_map\", found " + SafetensorsJson.kind(root));
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject())
            throw new SafetensorsException(file, "\"weight_map\" must be an object mapping tensor names to shard files, found "
                    + SafetensorsJson.kind(map));
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (var entry : map.properties()) {
            if (!entry.getValue().isTextual() || entry.getValue().textValue().isEmpty())
                throw new SafetensorsException(file, entry.getKey(), "\"weight_map\" must name a shard file for the tensor, found "
                        + SafetensorsJson.kind(entry.getValue()));
            weightMap.put(entry.getKey(), entry.getValue().textValue());
        }
        return new CheckpointIndex(weightMap, totalSize(file, root.get("metadata")));
    }

    private static OptionalLong totalSize(Path file, JsonNode metadata) {
        if (metadata == null || metadata.isNull()) return OptionalLong.empty();
        if (!metadata.isObject())
            throw new SafetensorsException(file, "\"metadata\" must be an object, found " + SafetensorsJson.kind(metadata));
        JsonNode size = metadata.get("total_size");
        if (size == null) return OptionalLong.empty();
        long value = SafetensorsJson.nonNegativeLong(size);
        if (value < 0)
            throw new SafetensorsException(file, "\"metadata\".\"total_size\" must be a non-negative integer, found " + SafetensorsJson.kind(size));
        return OptionalLong.of(value);
    }

    /**
     * The index as transformers writes it ({@code json.dumps(index, indent=2, sort_keys=True) + "\n"}):
     * keys sorted, two-space indent, non-ASCII escaped.
     */
    byte[] encode() {
        Map<String, String> sorted = new TreeMap<>(CodePointOrder.INSTANCE);
        sorted.putAll(weightMap);
        var printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = SafetensorsJson.STRICT.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.setPrettyPrinter(printer);
            json.configure(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature(), true);
            json.writeStartObject();
            json.writeObjectFieldStart("metadata");
            if (totalSize.isPresent()) json.writeNumberField("total_size", totalSize.getAsLong());
            json.writeEndObject();
            json.writeObjectFieldStart("weight_map");
            for (var entry : sorted.entrySet()) json.writeStringField(entry.getKey(), entry.getValue());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
