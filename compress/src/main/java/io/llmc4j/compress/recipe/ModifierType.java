package io.llmc4j.compress.recipe;

import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.modifiers.ModifierSettings;
import java.util.Objects;

/**
 * One kind of modifier as recipes name it: the recipe name (e.g. "QuantizationModifier"), the type
 * its arguments bind to, the default arguments and the factory.
 *
 * <p>The argument type is a record (or a plain Jackson-bindable class) whose properties are the
 * recipe's keys in snake_case ({@code numBits} reads {@code num_bits}); unknown keys are errors.
 * A recipe's keys replace the defaults' values key by key. The keys every modifier accepts
 * ({@code group, index, start, end, update}) are not part of the argument type; they go to
 * {@link ModifierSettings}.
 *
 * @param name         the recipe name; not "args" and not ending in "_stage" or "_modifiers"
 * @param argumentType the class the arguments bind to
 * @param defaults     the arguments when a recipe gives none
 * @param factory      builds the modifier
 */
public record ModifierType<A>(String name, Class<A> argumentType, A defaults, ModifierFactory<A> factory) {

    public ModifierType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(argumentType, "argumentType");
        Objects.requireNonNull(defaults, () -> "defaults of modifier type " + name);
        Objects.requireNonNull(factory, "factory");
        if (name.isBlank() || name.contains(".") || name.equals("args") || name.endsWith("_stage") || name.endsWith("_modifiers"))
            throw new IllegalArgumentException("modifier type name '" + name
                    + "' would be ambiguous in a recipe: it must be non-blank, without '.', not 'args', and not end in _stage or _modifiers");
        if (!argumentType.isInstance(defaults))
            throw new IllegalArgumentException("defaults of modifier type " + name + " are a " + defaults.getClass().getName()
                    + ", not a " + argumentType.getName());
    }

    public Modifier create(A arguments, ModifierSettings settings) {
        return factory.create(arguments, settings);
    }

    /** {@code value} as this type's argument type, or a {@link RecipeException} naming the type. */
    A cast(Object value) {
        if (!argumentType.isInstance(value))
            throw new RecipeException(name, "arguments must be a " + argumentType.getSimpleName() + ", found a "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        return argumentType.cast(value);
    }
}
