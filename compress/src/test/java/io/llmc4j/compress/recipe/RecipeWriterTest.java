package io.llmc4j.compress.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.compress.testing.RecordingArgs;
import io.llmc4j.compress.testing.RecordingArgs.ObserverArgs;
import io.llmc4j.compress.testing.RecordingArgs.Strategy;
import io.llmc4j.compress.testing.TestModifiers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Writing recipes as plain YAML: round trips, and a safe loader reads the output without tags. */
class RecipeWriterTest {
    private final TestModifiers t = new TestModifiers();
    /** A YAML tag: '!' starting a node, at the start of a line or after "key: " or "- ". */
    private static final Pattern TAG = Pattern.compile("(?m)(^|: |- )!");

    /** A safe YAML 1.1 loader: no tags, no arbitrary types (what PyYAML's safe_load does). */
    private static Object safeLoad(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    private void assertRoundTrip(Recipe recipe) throws IOException {
        String yaml = t.writer.toYaml(recipe);
        assertEquals(recipe, t.parser.parseYaml(yaml), yaml);
        assertEquals(yaml, t.writer.toYaml(t.parser.parseYaml(yaml)));
        ObjectMapper json = new ObjectMapper();
        Object plain = json.readValue(json.writeValueAsString(t.writer.toTree(recipe)), Object.class);
        assertEquals(plain, safeLoad(yaml), yaml);
        assertFalse(TAG.matcher(yaml).find(), yaml);
        assertFalse(yaml.startsWith("---"), yaml);
    }

    @Test
    void theStageFormIsWrittenAsTheReferenceWritesIt() {
        Recipe recipe = t.parser.parseYaml("""
                quant_stage:
                  quant_modifiers:
                    RecordingModifier: {targets: [Linear], ignore: [lm_head], scheme: W8A8, start: 0}
                """);
        assertEquals("""
                quant_stage:
                  quant_modifiers:
                    RecordingModifier:
                      start: 0.0
                      targets:
                      - Linear
                      ignore:
                      - lm_head
                      scheme: W8A8
                      num_bits: 8
                      dampening_frac: 0.01
                      symmetric: true
                      strategy: TENSOR
                      observer:
                        name: minmax
                        averaging_window: 1
                """, t.writer.toYaml(recipe));
    }

    @Test
    void aRecipeWithStagesGroupsSchedulesAndArgsRoundTrips() throws IOException {
        Recipe recipe = t.parser.parseYaml("""
                args: {sparsity: 0.5, layers: [1, 2], nested: {a: null, b: text}}
                smooth_stage:
                  smooth_modifiers:
                    OtherModifier: {num_bits: 4, strategy: CHANNEL, group_size: 128}
                quant_stage:
                  quant_modifiers:
                    RecordingModifier: {scheme: A, start: 0, end: 3.5, update: 1, index: 7, observer: null}
                    OtherModifier: {group: extra}
                  OtherModifier: {scheme: B, symmetric: false}
                """);
        assertRoundTrip(recipe);
    }

    @Test
    void recipesBuiltInCodeRoundTrip() throws IOException {
        var args = new RecordingArgs(List.of("re:.*q_proj$", "Linear"), List.of(), "FP8", 16, 1e-12, false, Strategy.GROUP,
                new ObserverArgs("mse", 100), 32);
        Recipe recipe = new Recipe(new LinkedHashMap<>(Map.of("big", 1e10, "small", 1e-10, "huge", 123456789012L)),
                List.of(new RecipeStage("one", List.of(RecipeModifier.of(t.recording, args))),
                        new RecipeStage("two", List.of(RecipeModifier.of(t.other, null)
                                .withSettings(new ModifierSettings("g", 0, 1e9, 2.5e9, 0.5))))));
        assertRoundTrip(recipe);
        assertRoundTrip(Recipe.of(RecipeModifier.of(t.recording, null)));
        assertRoundTrip(Recipe.empty());
        assertRoundTrip(Recipe.ofStages(new RecipeStage("empty", List.of())));
    }

    @Test
    void largeAndSmallNumbersAreWrittenAsYaml11Numbers() {
        Recipe recipe = new Recipe(Map.of("big", 1e10), List.of());
        String yaml = t.writer.toYaml(recipe);
        assertEquals("args:\n  big: 1.0E+10\n", yaml);
        assertEquals(Map.of("args", Map.of("big", 1e10)), safeLoad(yaml));
    }

    @Test
    void stringsThatLookLikeOtherValuesStayStrings() throws IOException {
        List<String> tricky = List.of("true", "False", "null", "~", "8", "1.5", "1e3", "0x1F", "1_000", ".inf", "yes", "No",
                "on", "OFF", "y", "", " padded ", "a: b", "#comment", "- item", "re:.*mlp\\.(up|gate)_proj$", "[x]", "{y}",
                "*ref", "&anchor", "!tag", "@at", "`tick`", "'quoted'", "\"double\"", "multi\nline", "tab\there", "ünïcode");
        var args = new RecordingArgs(tricky, tricky.reversed(), "null", 8, 0.5, true, Strategy.TENSOR, new ObserverArgs("true", 1), null);
        Recipe recipe = Recipe.of(RecipeModifier.of(t.recording, args));
        assertRoundTrip(recipe);
        @SuppressWarnings("unchecked")
        var loaded = (Map<String, Map<String, Map<String, Map<String, Object>>>>) safeLoad(t.writer.toYaml(recipe));
        assertEquals(tricky, loaded.get("default_stage").get("default_modifiers").get("RecordingModifier").get("targets"));
    }

    @Test
    void nonFiniteNumbersAreRefused() {
        var e = assertThrows(RecipeException.class, () -> t.writer.toYaml(new Recipe(Map.of("x", Double.NaN), List.of())));
        assertEquals("args.x: expected a finite number to write, found NaN", e.getMessage());
    }

    @Test
    void writeAndParseAFile(@TempDir Path dir) throws IOException {
        Recipe recipe = t.parser.parseYaml("quant_stage: {quant_modifiers: {RecordingModifier: {scheme: W4A16}}}");
        Path file = dir.resolve("recipe.yaml");
        t.writer.write(recipe, file);
        assertEquals(recipe, t.parser.parse(file));
        assertTrue(java.nio.file.Files.readString(file).startsWith("quant_stage:"));
    }
}
