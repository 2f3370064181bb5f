package io.llmc4j.compress.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.testing.RecordingArgs;
import io.llmc4j.compress.testing.TestModifiers;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Registration is one line per modifier and checks that the argument type binds. */
class ModifierRegistryTest {
    private final TestModifiers t = new TestModifiers();

    public record NoArgs() {
    }

    public record ClashingArgs(double start) {
    }

    /** Has no value equality, so written-and-read defaults cannot be compared. */
    public static final class IdentityArgs {
        public int bits = 4;
    }

    @Test
    void registeredTypesAreFoundByName() {
        assertEquals(List.of("OtherModifier", "RecordingModifier"), List.copyOf(t.registry.names()));
        assertSame(t.recording, t.registry.get("RecordingModifier"));
        assertSame(t.recording, t.registry.get("RecordingModifier", RecordingArgs.class));
        assertEquals(Optional.empty(), t.registry.find("Nope"));
        var e = assertThrows(RecipeException.class, () -> t.registry.get("OtherModifer"));
        assertEquals("OtherModifer: unknown modifier type 'OtherModifer'. Did you mean 'OtherModifier'?"
                + " Registered: [OtherModifier, RecordingModifier]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.registry.get("RecordingModifier", NoArgs.class));
    }

    @Test
    void typesWithoutArgumentsWork() {
        ModifierType<NoArgs> type = t.registry.register("Plain", NoArgs.class, new NoArgs(), (a, s) -> null);
        Recipe recipe = t.parser.parseYaml("Plain:\n");
        assertEquals(Recipe.of(RecipeModifier.of(type, new NoArgs())), recipe);
        assertEquals("default_stage:\n  default_modifiers:\n    Plain: {}\n", t.writer.toYaml(recipe));
    }

    @Test
    void aNameIsRegisteredOnce() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> t.registry.register("RecordingModifier", NoArgs.class, new NoArgs(), (a, s) -> null));
        assertEquals("modifier type 'RecordingModifier' is already registered", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "args", "quant_stage", "quant_modifiers", "a.b"})
    void namesThatWouldBeAmbiguousInARecipeAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> t.registry.register(name, NoArgs.class, new NoArgs(), (a, s) -> null));
    }

    @Test
    void argumentTypesMayNotDeclareTheCommonKeys() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> t.registry.register("Clash", ClashingArgs.class, new ClashingArgs(0), (a, s) -> null));
        assertTrue(e.getMessage().contains("declares 'start'"), e.getMessage());
    }

    @Test
    void argumentTypesNeedValueEquality() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> t.registry.register("Identity", IdentityArgs.class, new IdentityArgs(), (a, s) -> null));
        assertTrue(e.getMessage().contains("value equality"), e.getMessage());
    }

    @Test
    void defaultsMustBeOfTheArgumentType() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        var e = assertThrows(IllegalArgumentException.class, () -> new ModifierType("X", NoArgs.class, "text", (a, s) -> null));
        assertTrue(e.getMessage().contains("not a " + NoArgs.class.getName()), e.getMessage());
    }
}
