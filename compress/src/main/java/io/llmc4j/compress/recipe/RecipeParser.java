package io.llmc4j.compress.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.engine.io.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Reads LLM Compressor recipes (YAML or JSON) into {@link Recipe}s, binding each modifier's
 * arguments through a {@link ModifierRegistry}. Accepted shapes:
 *
 * <pre>
 *   args: {...}                                  # kept as is
 *   quant_stage:                                 # stages, in order ("quant")
 *     quant_modifiers:                           # groups ("quant")
 *       QuantizationModifier: {targets: [Linear], ignore: [lm_head], scheme: W8A8}
 *     GPTQModifier: {...}                        # a modifier directly in a stage: group = stage name
 *   smooth_modifiers: {SmoothQuantModifier: {}}  # a group without stage: stage "default"
 *   QuantizationModifier: {...}                  # a modifier without stage: stage and group "default"
 *
 *   - QuantizationModifier: {...}                # or a top-level list of one-key mappings
 * </pre>
 *
 * Every modifier accepts {@code group} (moves it to that group), {@code index}, {@code start},
 * {@code end} and {@code update}; its other keys bind to its type's arguments over the defaults.
 * Errors are {@link RecipeException}s naming the source and the key path, e.g.
 * {@code quant_stage.quant_modifiers.QuantizationModifier.targts}, with the valid names and the
 * closest one. Duplicate keys in one mapping are errors. Thread-safe.
 */
public final class RecipeParser {
    /** Keys every modifier accepts, sorted. */
    static final List<String> COMMON_KEYS = List.of("end", "group", "index", "start", "update");

    private final ModifierRegistry registry;
    private final ObjectMapper json = RecipeMappers.jsonReader();
    private final ObjectMapper plain = new ObjectMapper();

    public RecipeParser(ModifierRegistry registry) {
        this.registry = registry;
    }

    /** Reads {@code file}: JSON for ".json", YAML for ".yaml"/".yml", otherwise JSON if it parses, else YAML. */
    public Recipe parse(Path file) throws IOException {
        String text = TextFiles.readUtf8(file, "a recipe file (.yaml, .yml or .json)");
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) return parseJson(text, file.toString());
        if (name.endsWith(".yaml") || name.endsWith(".yml")) return parseYaml(text, file.toString());
        return parse(text, file.toString());
    }

    /** Reads a recipe string: as JSON if it parses as JSON, else as YAML (as the reference does). */
    public Recipe parse(String text, String source) {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException notJson) {
            return parseYaml(text, source);
        }
        return fromTree(root, source);
    }

    public Recipe parseYaml(String text) {
        return parseYaml(text, null);
    }

    public Recipe parseYaml(String text, String source) {
        return fromTree(YamlTrees.read(text, source), source);
    }

    public Recipe parseJson(String text) {
        return parseJson(text, null);
    }

    public Recipe parseJson(String text, String source) {
        return fromTree(read(json, text, source, "JSON"), source);
    }

    /** Builds a recipe from an already parsed tree; {@code source} names it in errors (may be null). */
    public Recipe fromTree(JsonNode root, String source) {
        try {
            return build(root);
        } catch (RecipeException e) {
            throw source == null ? e : e.under(source, "");
        }
    }

    private static JsonNode read(ObjectMapper mapper, String text, String source, String format) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new RecipeException(source, "", "not valid " + format + where + ": " + e.getOriginalMessage(), e);
        }
    }

    private Recipe build(JsonNode root) {
        Stages stages = new Stages();
        Map<String, Object> args = Map.of();
        if (root != null && root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                JsonNode item = root.get(i);
                String path = "[" + i + "]";
                if (!item.isObject() || item.size() != 1)
                    throw new RecipeException(path, "expected a mapping with one key, the modifier type, found " + ArgumentBinder.show(item));
                var entry = item.properties().iterator().next();
                stages.add(Recipe.DEFAULT_STAGE, modifier(entry.getKey(), entry.getValue(), Recipe.DEFAULT_STAGE, path + "." + entry.getKey()));
            }
            return stages.recipe(args);
        }
        if (root == null || !root.isObject())
            throw new RecipeException("", "expected a mapping of stages or modifiers (or a list of modifiers), found "
                    + ArgumentBinder.show(root));
        for (var entry : root.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (key.equals("args")) {
                args = plainMap(value, key);
            } else if (key.endsWith("_stage")) {
                String stage = strip(key, "_stage");
                stages.declare(stage);
                for (var item : mapping(value, key).properties()) member(stages, stage, item.getKey(), item.getValue(), key);
            } else {
                member(stages, Recipe.DEFAULT_STAGE, key, value, "");
            }
        }
        return stages.recipe(args);
    }

    /** A stage member: a {@code <group>_modifiers} mapping or a modifier of the stage's own group. */
    private void member(Stages stages, String stage, String key, JsonNode value, String parentPath) {
        String path = parentPath.isEmpty() ? key : parentPath + "." + key;
        if (key.endsWith("_modifiers")) {
            String group = strip(key, "_modifiers");
            for (var item : mapping(value, path).properties())
                stages.add(stage, modifier(item.getKey(), item.getValue(), group, path + "." + item.getKey()));
        } else if (registry.find(key).isPresent()) {
            stages.add(stage, modifier(key, value, stage, path));
        } else {
            throw registry.unknown(path, key).withHint(
                    "(keys are 'args', '<stage>_stage', '<group>_modifiers' or modifier types)");
        }
    }

    private RecipeModifier<?> modifier(String typeName, JsonNode value, String group, String path) {
        ModifierType<?> type = registry.find(typeName).orElseThrow(() -> registry.unknown(path, typeName));
        ObjectNode arguments = value == null || value.isNull() ? JsonNodeFactory.instance.objectNode() : mapping(value, path).deepCopy();
        String groupOverride = text(arguments.remove("group"), path + ".group");
        ModifierSettings settings = new ModifierSettings(groupOverride != null ? groupOverride : group,
                integer(arguments.remove("index"), path + ".index"), number(arguments.remove("start"), path + ".start"),
                number(arguments.remove("end"), path + ".end"), number(arguments.remove("update"), path + ".update"));
        return bound(type, arguments, settings, path);
    }

    private <A> RecipeModifier<A> bound(ModifierType<A> type, ObjectNode arguments, ModifierSettings settings, String path) {
        return new RecipeModifier<>(type, settings, registry.binder().bind(type, arguments, path));
    }

    private static ObjectNode mapping(JsonNode value, String path) {
        if (value instanceof ObjectNode object) return object;
        throw new RecipeException(path, "expected a mapping, found " + ArgumentBinder.show(value));
    }

    private Map<String, Object> plainMap(JsonNode value, String path) {
        return plain.convertValue(mapping(value, path), new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    private static String text(JsonNode value, String path) {
        if (value == null || value.isNull()) return null;
        if (!value.isTextual() || value.asText().isBlank())
            throw new RecipeException(path, "expected a group name (a non-empty string), found " + ArgumentBinder.show(value));
        return value.asText();
    }

    private static Integer integer(JsonNode value, String path) {
        if (value == null || value.isNull()) return null;
        if (!value.isIntegralNumber() || !value.canConvertToInt())
            throw new RecipeException(path, "expected an integer (Integer), found " + ArgumentBinder.show(value));
        return value.intValue();
    }

    private static Double number(JsonNode value, String path) {
        if (value == null || value.isNull()) return null;
        if (!value.isNumber()) throw new RecipeException(path, "expected a number (Double), found " + ArgumentBinder.show(value));
        return value.doubleValue();
    }

    private static String strip(String key, String suffix) {
        String name = key.substring(0, key.length() - suffix.length());
        if (name.isEmpty()) throw new RecipeException(key, "expected '<name>" + suffix + "', found an empty name");
        return name;
    }

    /** Modifiers collected per stage and group, in order of first appearance. */
    private static final class Stages {
        private final SequencedMap<String, SequencedMap<String, List<RecipeModifier<?>>>> byStage = new LinkedHashMap<>();

        void declare(String stage) {
            byStage.computeIfAbsent(stage, s -> new LinkedHashMap<>());
        }

        void add(String stage, RecipeModifier<?> modifier) {
            List<RecipeModifier<?>> group = byStage.computeIfAbsent(stage, s -> new LinkedHashMap<>())
                    .computeIfAbsent(modifier.group(), g -> new ArrayList<>());
            for (RecipeModifier<?> other : group)
                if (other.typeName().equals(modifier.typeName()))
                    throw new RecipeException(stage + "_stage." + modifier.group() + "_modifiers." + modifier.typeName(),
                            "a group may hold each modifier type once, found a second " + modifier.typeName());
            group.add(modifier);
        }

        Recipe recipe(Map<String, Object> args) {
            List<RecipeStage> stages = new ArrayList<>();
            byStage.forEach((name, groups) -> {
                List<RecipeModifier<?>> modifiers = new ArrayList<>();
                groups.values().forEach(modifiers::addAll);
                stages.add(new RecipeStage(name, modifiers));
            });
            return new Recipe(args, stages);
        }
    }
}
