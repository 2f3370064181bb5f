package io.llmc4j.compress.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.compress.testing.RecordingArgs;
import io.llmc4j.compress.testing.RecordingArgs.ObserverArgs;
import io.llmc4j.compress.testing.RecordingArgs.Strategy;
import io.llmc4j.compress.testing.RecordingModifier;
import io.llmc4j.compress.testing.TestModifiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading recipes in every accepted shape, from YAML and JSON. */
class RecipeParserTest {
    private final TestModifiers t = new TestModifiers();
    private static final RecordingArgs D = RecordingArgs.DEFAULTS;

    private static RecordingArgs args(List<String> targets, List<String> ignore, String scheme) {
        return new RecordingArgs(targets, ignore, scheme, D.numBits(), D.dampeningFrac(), D.symmetric(), D.strategy(),
                D.observer(), D.groupSize());
    }

    private RecipeModifier<RecordingArgs> entry(ModifierType<RecordingArgs> type, String group, RecordingArgs arguments) {
        return new RecipeModifier<>(type, ModifierSettings.NONE.withGroup(group), arguments);
    }

    @Test
    void stageFormBindsArgumentsOverDefaults() {
        Recipe recipe = t.parser.parseYaml("""
                quant_stage:
                  quant_modifiers:
                    RecordingModifier:
                      targets: [Linear]
                      ignore: [lm_head]
                      scheme: W4A16
                """);
        var expected = Recipe.ofStages(new RecipeStage("quant",
                List.of(entry(t.recording, "quant", args(List.of("Linear"), List.of("lm_head"), "W4A16")))));
        assertEquals(expected, recipe);
    }

    @Test
    void jsonAndYamlGiveTheSameRecipe() {
        Recipe fromYaml = t.parser.parseYaml("""
                quant_stage:
                  quant_modifiers:
                    RecordingModifier: {targets: [Linear], ignore: [lm_head], scheme: W8A8, num_bits: 4,
                                        observer: {name: mse, averaging_window: 3}, group_size: 128}
                """);
        Recipe fromJson = t.parser.parseJson("""
                {"quant_stage": {"quant_modifiers": {"RecordingModifier": {"targets": ["Linear"], "ignore": ["lm_head"],
                  "scheme": "W8A8", "num_bits": 4, "observer": {"name": "mse", "averaging_window": 3}, "group_size": 128}}}}
                """);
        assertEquals(fromYaml, fromJson);
        assertEquals(fromJson, t.parser.parse("  " + """
                {"quant_stage": {"quant_modifiers": {"RecordingModifier": {"targets": ["Linear"], "ignore": ["lm_head"],
                  "scheme": "W8A8", "num_bits": 4, "observer": {"name": "mse", "averaging_window": 3}, "group_size": 128}}}}
                """, "inline"));
        var arguments = (RecordingArgs) fromYaml.modifiers().getFirst().arguments();
        assertEquals(new RecordingArgs(List.of("Linear"), List.of("lm_head"), "W8A8", 4, 0.01, true, Strategy.TENSOR,
                new ObserverArgs("mse", 3), 128), arguments);
    }

    @Test
    void stagesKeepTheirOrderAndGroupsFollowTheirKeys() {
        Recipe recipe = t.parser.parseYaml("""
                smooth_stage:
                  smooth_modifiers:
                    OtherModifier: {num_bits: 4}
                quant_stage:
                  quant_modifiers:
                    RecordingModifier: {scheme: A, start: 0, end: 3.5, update: 1}
                    OtherModifier: {group: extra, index: 2}
                  OtherModifier: {scheme: B}
                """);
        assertEquals(List.of("smooth", "quant"), recipe.stages().stream().map(RecipeStage::name).toList());
        RecipeStage quant = recipe.stages().get(1);
        assertEquals(List.of("quant", "extra"), List.copyOf(quant.groups().keySet()));
        assertEquals(List.of("RecordingModifier", "OtherModifier", "OtherModifier"),
                quant.modifiers().stream().map(RecipeModifier::typeName).toList());
        assertEquals(new ModifierSettings("quant", null, 0.0, 3.5, 1.0), quant.modifiers().get(0).settings());
        assertEquals(new ModifierSettings("extra", 2, null, null, null), quant.modifiers().get(2).settings());
        assertEquals("B", ((RecordingArgs) quant.modifiers().get(1).arguments()).scheme());
        var smooth = (RecordingArgs) recipe.stages().get(0).modifiers().getFirst().arguments();
        assertEquals(4, smooth.numBits());
        assertEquals("other", smooth.scheme());   // OtherModifier's own default, not overridden
    }

    @Test
    void modifiersWithoutStageGoToTheDefaultStage() {
        Recipe flatMap = t.parser.parseYaml("""
                RecordingModifier: {scheme: A}
                OtherModifier:
                """);
        Recipe list = t.parser.parseYaml("""
                - RecordingModifier: {scheme: A}
                - OtherModifier: {}
                """);
        Recipe code = Recipe.of(RecipeModifier.of(t.recording, D.withScheme("A")), RecipeModifier.of(t.other, null));
        assertEquals(code, flatMap);
        assertEquals(code, list);
        assertEquals("default", code.stages().getFirst().name());
        assertEquals(List.of("default"), List.copyOf(code.stages().getFirst().groups().keySet()));
    }

    @Test
    void aGroupWithoutStageGoesToTheDefaultStage() {
        Recipe recipe = t.parser.parseYaml("""
                pruning_modifiers:
                  RecordingModifier: {targets: Linear}
                """);
        assertEquals(Recipe.ofStages(new RecipeStage("default",
                List.of(entry(t.recording, "pruning", args(List.of("Linear"), List.of(), "W8A8"))))), recipe);
    }

    @Test
    void argsAreKept() {
        Recipe recipe = t.parser.parseYaml("""
                args: {sparsity: 0.5, layers: [1, 2], name: x}
                quant_stage: {}
                """);
        assertEquals(Map.of("sparsity", 0.5, "layers", List.of(1, 2), "name", "x"), recipe.args());
        assertEquals(List.of(new RecipeStage("quant", List.of())), recipe.stages());
    }

    @Test
    void filesAreReadByExtension(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("recipe.yaml"), "RecordingModifier: {scheme: A}\n");
        Path json = Files.writeString(dir.resolve("recipe.json"), "{\"RecordingModifier\": {\"scheme\": \"A\"}}");
        Path other = Files.writeString(dir.resolve("recipe.txt"), "RecordingModifier:\n  scheme: A\n");
        Recipe expected = Recipe.of(RecipeModifier.of(t.recording, D.withScheme("A")));
        assertEquals(expected, t.parser.parse(yaml));
        assertEquals(expected, t.parser.parse(json));
        assertEquals(expected, t.parser.parse(other));
    }

    @Test
    void filterStagesKeepsStagesByKeyPrefix() {
        Recipe recipe = t.parser.parseYaml("""
                quant_stage: {quant_modifiers: {RecordingModifier: {}}}
                quant_extra_stage: {quant_modifiers: {RecordingModifier: {}}}
                prune_stage: {prune_modifiers: {OtherModifier: {}}}
                """);
        assertEquals(List.of("quant", "quant_extra"),
                recipe.filterStages("quant").stages().stream().map(RecipeStage::name).toList());
        assertEquals(recipe, recipe.filterStages(null));
    }

    @Test
    void createModifiersBuildsConfiguredModifiersInOrder() {
        Recipe recipe = t.parser.parseYaml("""
                a_stage: {g_modifiers: {RecordingModifier: {scheme: A, start: 1}}}
                b_stage: {h_modifiers: {OtherModifier: {}}}
                """);
        var created = recipe.createModifiers();
        assertEquals(2, created.size());
        var first = assertInstanceOf(RecordingModifier.class, created.get(0));
        assertEquals("A", first.arguments().scheme());
        assertEquals(new ModifierSettings("g", null, 1.0, null, null), first.settings());
        assertEquals("h", created.get(1).group());
    }
}
