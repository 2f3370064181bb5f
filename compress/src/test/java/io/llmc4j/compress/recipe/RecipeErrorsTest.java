package io.llmc4j.compress.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.modifiers.ModifierSettings;
import io.llmc4j.compress.testing.TestModifiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every recipe error names the key path, what was expected and what was found. */
class RecipeErrorsTest {
    private final TestModifiers t = new TestModifiers();

    private RecipeException failure(String yaml) {
        return assertThrows(RecipeException.class, () -> t.parser.parseYaml(yaml));
    }

    private static String stage(String arguments) {
        return "quant_stage:\n  quant_modifiers:\n    RecordingModifier: " + arguments + "\n";
    }

    @Test
    void unknownModifierNamesThePathTheRegisteredTypesAndTheClosest() {
        var e = failure("quant_stage:\n  quant_modifiers:\n    RecordingModifer: {}\n");
        assertEquals("quant_stage.quant_modifiers.RecordingModifer", e.path());
        assertEquals("quant_stage.quant_modifiers.RecordingModifer: unknown modifier type 'RecordingModifer'."
                + " Did you mean 'RecordingModifier'? Registered: [OtherModifier, RecordingModifier]", e.getMessage());
    }

    @Test
    void anLlmCompressorKeyOrModifierLlmc4jLacksIsNotSupportedYetNotAMisspelling() {
        RecipeParser standard = new RecipeParser(io.llmc4j.compress.modifiers.StandardModifiers.registry());
        var key = assertThrows(RecipeException.class, () -> standard.parseYaml(
                "quant_stage:\n  quant_modifiers:\n    QuantizationModifier: {scheme: W8A8, requires_calibration_data: true}\n"));
        assertEquals("quant_stage.quant_modifiers.QuantizationModifier.requires_calibration_data", key.path());
        assertTrue(key.getMessage().contains("'requires_calibration_data' of QuantizationModifier (an LLM Compressor key) is not supported by llmc4j yet"),
                key.getMessage());
        assertTrue(!key.getMessage().contains("Did you mean"), key.getMessage());
        var type = failure("quant_stage:\n  quant_modifiers:\n    SparseGPTModifier: {sparsity: 0.5}\n");
        assertTrue(type.getMessage().contains("'SparseGPTModifier' (an LLM Compressor modifier) is not supported by llmc4j yet"), type.getMessage());
        var misspelt = assertThrows(RecipeException.class, () -> standard.parseYaml(
                "quant_stage:\n  quant_modifiers:\n    QuantizationModifier: {scheme: W8A8, weight_observr: mse}\n"));
        assertTrue(misspelt.getMessage().contains("Did you mean 'weight_observer'?"), misspelt.getMessage());
    }

    @Test
    void unknownTopLevelKeySaysWhatKeysAreAllowed() {
        var e = failure("version: 1.1\n");
        assertEquals("version", e.path());
        assertTrue(e.getMessage().contains("unknown modifier type 'version'"), e.getMessage());
        assertTrue(e.getMessage().contains("'args', '<stage>_stage', '<group>_modifiers' or modifier types"), e.getMessage());
    }

    @Test
    void unknownKeyNamesThePathTheValidKeysAndTheClosest() {
        var e = failure(stage("{targts: [Linear]}"));
        assertEquals("quant_stage.quant_modifiers.RecordingModifier.targts", e.path());
        assertEquals("quant_stage.quant_modifiers.RecordingModifier.targts: unknown key 'targts' for RecordingModifier."
                + " Did you mean 'targets'? Valid keys: [dampening_frac, end, group, group_size, ignore, index, num_bits,"
                + " observer, scheme, start, strategy, symmetric, targets, update]", e.getMessage());
    }

    @Test
    void unknownNestedKeyNamesItsFullPath() {
        var e = failure(stage("{observer: {name: mse, averaging_windw: 2}}"));
        assertEquals("quant_stage.quant_modifiers.RecordingModifier.observer.averaging_windw", e.path(), e.getMessage());
        assertEquals("unknown key 'averaging_windw' for RecordingModifier. Did you mean 'averaging_window'?"
                + " Valid keys: [averaging_window, name]", e.detail());
    }

    @Test
    void aMissingKeyInANestedMappingIsNamed() {
        var e = failure(stage("{observer: {name: mse}}"));
        assertEquals("quant_stage.quant_modifiers.RecordingModifier.observer.averaging_window", e.path());
        assertEquals("expected an integer (int), found nothing (the key is missing)", e.detail());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{num_bits: eight}      | num_bits     | expected an integer (int), found \"eight\" (a string)",
            "{num_bits: 8.5}        | num_bits     | expected an integer (int), found 8.5 (a number)",
            "{num_bits: '8'}        | num_bits     | expected an integer (int), found \"8\" (a string)",
            "{num_bits: null}       | num_bits     | expected an integer (int), found null",
            "{scheme: 8}            | scheme       | expected a string (String), found 8 (an integer)",
            "{scheme: [W8A8]}       | scheme       | expected a string (String), found [\"W8A8\"] (a list)",
            "{symmetric: maybe}     | symmetric    | expected a boolean (true or false) (boolean), found \"maybe\" (a string)",
            "{targets: [Linear, 3]} | targets[1]   | expected a string (String), found 3 (an integer)",
            "{targets: {a: 1}}      | targets      | expected a string (String) or a list of them, found {\"a\":1} (a mapping)",
            "{strategy: diagonal}   | strategy     | expected one of [TENSOR, CHANNEL, GROUP] (Strategy), found \"diagonal\" (a string)",
            "{observer: minmax}     | observer     | expected a mapping (ObserverArgs), found \"minmax\" (a string)",
            "{dampening_frac: high} | dampening_frac | expected a number (double), found \"high\" (a string)",
            "{start: soon}          | start        | expected a number (Double), found \"soon\" (a string)",
            "{index: 1.5}           | index        | expected an integer (Integer), found 1.5 (a number)",
            "{group: 3}             | group        | expected a group name (a non-empty string), found 3 (an integer)",
    })
    void wrongTypesNameTheKeyTheExpectedTypeAndTheValue(String arguments, String key, String detail) {
        var e = failure(stage(arguments));
        assertEquals("quant_stage.quant_modifiers.RecordingModifier." + key, e.path(), e.getMessage());
        assertEquals(detail, e.detail(), e.getMessage());
    }

    @Test
    void validationInTheArgumentTypeIsReportedAtTheModifier() {
        var e = failure(stage("{num_bits: 40}"));
        assertEquals("quant_stage.quant_modifiers.RecordingModifier", e.path());
        assertEquals("invalid arguments for RecordingModifier: num_bits must be in 1..16, got 40", e.detail());
    }

    @Test
    void recipeExceptionsFromArgumentTypesKeepTheirKey() {
        ModifierRegistry registry = new ModifierRegistry();
        registry.register("Checked", CheckedArgs.class, new CheckedArgs(4), (a, s) -> null);
        var e = assertThrows(RecipeException.class, () -> new RecipeParser(registry).parseYaml("s_stage: {Checked: {bits: 3}}"));
        assertEquals("s_stage.Checked.bits", e.path());
        assertEquals("an even number, got 3", e.detail());
    }

    /** Validates with a RecipeException, as the quantization argument records do. */
    public record CheckedArgs(int bits) {
        public CheckedArgs {
            if (bits % 2 != 0) throw new RecipeException("bits", "an even number, got " + bits);
        }
    }

    @Test
    void shapesThatAreNotMappingsAreRefused() {
        assertEquals("quant_stage: expected a mapping, found [\"a\"] (a list)", failure("quant_stage: [a]\n").getMessage());
        assertEquals("quant_stage.quant_modifiers: expected a mapping, found null",
                failure("quant_stage:\n  quant_modifiers:\n").getMessage());
        assertEquals("quant_stage.quant_modifiers.RecordingModifier: expected a mapping, found \"x\" (a string)",
                failure(stage("x")).getMessage());
        assertEquals("expected a mapping of stages or modifiers (or a list of modifiers), found 3 (an integer)",
                failure("3\n").getMessage());
        assertEquals("[0]: expected a mapping with one key, the modifier type, found \"RecordingModifier\" (a string)",
                failure("- RecordingModifier\n").getMessage());
        assertEquals("_stage: expected '<name>_stage', found an empty name", failure("_stage: {}\n").getMessage());
    }

    @Test
    void duplicateKeysAndBadSyntaxAreRefusedWithTheirLine() {
        var duplicate = failure("RecordingModifier: {}\nRecordingModifier: {}\n");
        assertTrue(duplicate.getMessage().startsWith("not valid YAML at line 2"), duplicate.getMessage());
        assertTrue(duplicate.getMessage().contains("found duplicate key RecordingModifier"), duplicate.getMessage());
        var syntax = failure("a: [b\n");
        assertTrue(syntax.getMessage().startsWith("not valid YAML"), syntax.getMessage());
        var json = assertThrows(RecipeException.class, () -> t.parser.parseJson("{\"a\": 1,}"));
        assertTrue(json.getMessage().startsWith("not valid JSON at line 1"), json.getMessage());
    }

    @Test
    void theSameTypeTwiceInOneGroupIsRefused() {
        var e = failure("""
                quant_stage:
                  quant_modifiers:
                    RecordingModifier: {}
                  extra_modifiers:
                    RecordingModifier: {group: quant}
                """);
        assertEquals("quant_stage.quant_modifiers.RecordingModifier", e.path());
        assertTrue(e.detail().contains("found a second RecordingModifier"), e.getMessage());
    }

    @Test
    void errorsNameTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("recipe.yaml"), stage("{targts: []}"));
        var e = assertThrows(RecipeException.class, () -> t.parser.parse(file));
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().startsWith(file + ": quant_stage.quant_modifiers.RecordingModifier.targts: unknown key"),
                e.getMessage());
    }

    @Test
    void recipesBuiltInCodeAreCheckedToo() {
        var a = RecipeModifier.of(t.recording, null).withSettings(ModifierSettings.NONE.withGroup("a"));
        var b = RecipeModifier.of(t.other, null).withSettings(ModifierSettings.NONE.withGroup("b"));
        var c = RecipeModifier.of(t.other, null).withSettings(ModifierSettings.NONE.withGroup("a"));
        var interleaved = assertThrows(RecipeException.class, () -> new RecipeStage("s", List.of(a, b, c)));
        assertTrue(interleaved.getMessage().contains("must be contiguous"), interleaved.getMessage());
        var sameStage = assertThrows(RecipeException.class, () -> Recipe.ofStages(new RecipeStage("s", List.of()),
                new RecipeStage("s", List.of())));
        assertEquals("s_stage: stage names must be distinct, found 's' twice", sameStage.getMessage());
        @SuppressWarnings({"unchecked", "rawtypes"})
        var wrongArguments = assertThrows(RecipeException.class, () -> new RecipeModifier(t.recording, null, "x"));
        assertTrue(wrongArguments.getMessage().contains("arguments must be a RecordingArgs"), wrongArguments.getMessage());
    }
}
