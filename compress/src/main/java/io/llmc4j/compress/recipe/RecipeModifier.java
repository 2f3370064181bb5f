package io.llmc4j.compress.recipe;

import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.modifiers.ModifierSettings;
import java.util.Objects;

/**
 * One modifier entry of a recipe: its type, common settings (group, index, schedule) and bound
 * arguments. Immutable if the arguments are. {@link #create()} makes a fresh {@link Modifier}.
 *
 * @param type      the registered modifier type
 * @param settings  group and schedule (a null group is filled in by the stage)
 * @param arguments the type's arguments, defaults when null
 */
public record RecipeModifier<A>(ModifierType<A> type, ModifierSettings settings, A arguments) {

    public RecipeModifier {
        Objects.requireNonNull(type, "type");
        if (settings == null) settings = ModifierSettings.NONE;
        arguments = arguments == null ? type.defaults() : type.cast(arguments);
    }

    /** An entry with default settings (its stage fills in the group). */
    public static <A> RecipeModifier<A> of(ModifierType<A> type, A arguments) {
        return new RecipeModifier<>(type, ModifierSettings.NONE, arguments);
    }

    public RecipeModifier<A> withSettings(ModifierSettings newSettings) {
        return new RecipeModifier<>(type, newSettings, arguments);
    }

    /** The recipe name of the type, e.g. "QuantizationModifier". */
    public String typeName() {
        return type.name();
    }

    public String group() {
        return settings.group();
    }

    /** A new modifier configured by this entry. */
    public Modifier create() {
        return type.create(arguments, settings);
    }
}
