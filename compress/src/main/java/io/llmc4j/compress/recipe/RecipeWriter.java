package io.llmc4j.compress.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llmc4j.compress.modifiers.ModifierSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Recipe} as plain YAML in the stage form the reference writes
 * ({@code <stage>_stage: <group>_modifiers: <Type>: {args}}), preceded by {@code args} when the
 * recipe has any. The output has no tags and no document marker, so any safe YAML loader reads
 * it, and {@link RecipeParser} reads it back to an equal recipe. Each modifier lists its
 * {@code index/start/end/update} when set, then every argument that is not null (and a null only
 * where the default is not null). Floating-point values are written so that YAML 1.1 loaders
 * (PyYAML, SnakeYAML) read them as numbers; NaN and infinities are refused. Thread-safe.
 */
public final class RecipeWriter {
    private final ArgumentBinder binder;
    private final ObjectMapper yaml = RecipeMappers.yamlWriter();
    private final ObjectMapper plain = new ObjectMapper();

    public RecipeWriter(ModifierRegistry registry) {
        this.binder = registry.binder();
    }

    public String toYaml(Recipe recipe) {
        try {
            return yaml.writeValueAsString(toTree(recipe));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write recipe as YAML: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes the recipe to {@code file} (UTF-8), replacing it. */
    public void write(Recipe recipe, Path file) throws IOException {
        Files.writeString(file, toYaml(recipe));
    }

    /** The tree {@link #toYaml} writes. */
    public ObjectNode toTree(Recipe recipe) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (!recipe.args().isEmpty()) root.set("args", yamlSafe(plain.valueToTree(recipe.args()), "args"));
        for (RecipeStage stage : recipe.stages()) {
            String stageKey = stage.name() + "_stage";
            ObjectNode stageNode = root.putObject(stageKey);
            for (Map.Entry<String, List<RecipeModifier<?>>> group : stage.groups().entrySet()) {
                String groupKey = group.getKey() + "_modifiers";
                ObjectNode groupNode = stageNode.putObject(groupKey);
                for (RecipeModifier<?> m : group.getValue()) {
                    String path = stageKey + "." + groupKey + "." + m.typeName();
                    groupNode.set(m.typeName(), yamlSafe(entry(m), path));
                }
            }
        }
        return root;
    }

    private ObjectNode entry(RecipeModifier<?> modifier) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ModifierSettings s = modifier.settings();
        if (s.index() != null) node.put("index", s.index());
        if (s.start() != null) node.put("start", s.start());
        if (s.end() != null) node.put("end", s.end());
        if (s.update() != null) node.put("update", s.update());
        node.setAll(binder.toTree(modifier.type(), modifier.arguments()));
        return node;
    }

    /**
     * {@code node} with floating-point values that YAML 1.1 would read as strings rewritten:
     * Java writes 1e10 as "1.0E10", which lacks the exponent sign YAML 1.1 requires; such values
     * become decimals written as "1.0E+10".
     */
    private static JsonNode yamlSafe(JsonNode node, String path) {
        if (node.isFloatingPointNumber() && !node.isBigDecimal()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value))
                throw new RecipeException(path, "expected a finite number to write, found " + value);
            String text = node.isFloat() ? Float.toString(node.floatValue()) : Double.toString(value);
            int e = text.indexOf('E');
            if (e >= 0 && text.charAt(e + 1) != '-') return DecimalNode.valueOf(new BigDecimal(text));
            return node;
        }
        if (node instanceof ObjectNode object) {
            for (var property : object.properties()) property.setValue(yamlSafe(property.getValue(), path + "." + property.getKey()));
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) array.set(i, yamlSafe(array.get(i), path + "[" + i + "]"));
            return array;
        }
        return node;
    }
}
