package io.llmc4j.compress.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.testing.RecordingArgs;
import io.llmc4j.compress.testing.TestModifiers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * YAML recipes read as PyYAML's safe_load reads them (anchors, aliases, merge keys, YAML 1.1
 * scalars), with limits against alias bombs, and syntax errors on one line at the right place.
 */
class RecipeYamlTest {
    private final TestModifiers t = new TestModifiers();

    private RecordingArgs args(String yaml) {
        return (RecordingArgs) t.parser.parseYaml(yaml).modifiers().getFirst().arguments();
    }

    private RecipeException failure(String yaml) {
        RecipeException e = assertThrows(RecipeException.class, () -> t.parser.parseYaml(yaml, "r.yaml"));
        assertFalse(e.getMessage().contains("\n"), () -> "one line: " + e.getMessage());
        return e;
    }

    @Test
    void anAliasIsTheAnchoredValueNotItsName() {
        RecordingArgs a = args("RecordingModifier:\n  targets: [&t Linear]\n  ignore: [lm_head, *t]\n");
        assertEquals(List.of("Linear"), a.targets());
        assertEquals(List.of("lm_head", "Linear"), a.ignore());
        RecordingArgs scalar = args("RecordingModifier:\n  scheme: &s W4A16\n  targets: [*s]\n");
        assertEquals(List.of("W4A16"), scalar.targets());
    }

    @Test
    void anAliasedMappingAndMergeKeysResolveAsSafeLoad() {
        String yaml = """
                a_stage:
                  a_modifiers:
                    RecordingModifier: &base
                      targets: [Linear]
                      num_bits: 4
                      observer: {name: mse, averaging_window: 2}
                b_stage:
                  b_modifiers:
                    RecordingModifier:
                      <<: *base
                      num_bits: 8
                c_stage:
                  c_modifiers:
                    RecordingModifier: *base
                """;
        List<RecipeModifier<?>> modifiers = t.parser.parseYaml(yaml).modifiers();
        RecordingArgs a = (RecordingArgs) modifiers.get(0).arguments(), b = (RecordingArgs) modifiers.get(1).arguments(),
                c = (RecordingArgs) modifiers.get(2).arguments();
        assertEquals(4, a.numBits());
        assertEquals(8, b.numBits(), "the mapping's own key wins over the merged one");
        assertEquals(a.observer(), b.observer());
        assertEquals(a, c);
        RecordingArgs merged = args("RecordingModifier:\n  <<: [{num_bits: 3}, {num_bits: 5, group_size: 16}]\n");
        assertEquals(3, merged.numBits(), "of merged mappings the first wins");
        assertEquals(16, merged.groupSize());
    }

    @Test
    void yaml11ScalarsAreReadAsPyYamlReadsThem() {
        RecordingArgs a = args("RecordingModifier:\n  symmetric: off\n  num_bits: 0x8\n  dampening_frac: 1e-3\n  scheme: '0x8'\n");
        assertFalse(a.symmetric());
        assertEquals(8, a.numBits());
        assertEquals(1e-3, a.dampeningFrac());
        assertEquals("0x8", a.scheme());
    }

    @Test
    void anAliasBombIsRefusedQuickly() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            yaml.append("]\n");
        }
        RecipeException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> failure(yaml.toString()));
        assertTrue(e.getMessage().contains("aliases"), e.getMessage());
        StringBuilder wide = new StringBuilder("a0: &a0 [" + "x, ".repeat(999) + "x]\n");
        for (int i = 1; i < 5; i++) wide.append("a").append(i).append(": &a").append(i).append(" [").append(("*a" + (i - 1) + ", ").repeat(10))
                .append("*a").append(i - 1).append("]\n");
        RecipeException expanded = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> failure(wide.toString()));
        assertTrue(expanded.getMessage().contains("more than " + YamlTrees.MAX_VALUES + " values"), expanded.getMessage());
    }

    @Test
    void anAliasInsideItselfIsRefused() {
        RecipeException e = failure("RecordingModifier:\n  targets: &t [Linear, *t]\n");
        assertTrue(e.getMessage().contains("cycle") || e.getMessage().contains("recursive"), e.getMessage());
    }

    @Test
    void tagsNeverConstructAnything() {
        RecipeException e = failure("RecordingModifier:\n  scheme: !!python/object/apply:os.system [\"touch /tmp/x\"]\n");
        assertTrue(e.getMessage().startsWith("r.yaml: not valid YAML at line 2, column 11:"), e.getMessage());
        assertTrue(e.getMessage().contains("python/object/apply:os.system"), e.getMessage());
    }

    @Test
    void valuesARecipeCannotHoldAreNamed() {
        RecipeException date = failure("RecordingModifier:\n  scheme: 2024-01-31\n");
        assertTrue(date.getMessage().contains("RecordingModifier.scheme: expected a string, number, boolean, null, list or mapping, found a timestamp"),
                date.getMessage());
        RecipeException key = failure("RecordingModifier:\n  on: [Linear]\n");
        assertTrue(key.getMessage().contains("found a boolean key true"), key.getMessage());
    }

    @Test
    void aTabIndentIsReportedWhereItIsOnOneLine() {
        RecipeException e = failure("quant_stage:\n  quant_modifiers:\n\tRecordingModifier: {}\n");
        assertTrue(e.getMessage().startsWith("r.yaml: not valid YAML at line 3, column 1: "), e.getMessage());
        assertTrue(e.getMessage().contains("Do not use \\t(TAB) for indentation") && e.getMessage().endsWith(": '\\tRecordingModifier: {}'"), e.getMessage());
    }

    @Test
    void syntaxErrorsNameTheLineColumnAndText() {
        RecipeException bracket = failure("RecordingModifier:\n  targets: [Linear\n  ignore: [lm_head]\n");
        assertTrue(bracket.getMessage().matches("r\\.yaml: not valid YAML at line 3, column \\d+: .*: '  ignore: \\[lm_head\\]'"), bracket.getMessage());
        RecipeException indent = failure("RecordingModifier:\n  targets: [Linear]\n   ignore: [lm_head]\n");
        assertTrue(indent.getMessage().startsWith("r.yaml: not valid YAML at line 3, column "), indent.getMessage());
        RecipeException colon = failure("RecordingModifier:\n  scheme: a: b\n");
        assertTrue(colon.getMessage().startsWith("r.yaml: not valid YAML at line 2, column 12: mapping values are not allowed here"),
                colon.getMessage());
        assertTrue(colon.getMessage().endsWith(": '  scheme: a: b'"), colon.getMessage());
    }
}
