package io.llmc4j.compress.recipe;

import io.llmc4j.compress.modifiers.Modifier;
import io.llmc4j.compress.modifiers.ModifierSettings;

/** Creates a modifier from its bound arguments and common settings; usually a constructor reference. */
@FunctionalInterface
public interface ModifierFactory<A> {
    Modifier create(A arguments, ModifierSettings settings);
}
