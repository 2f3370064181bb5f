package io.llmc4j.compress.testing;

import io.llmc4j.compress.recipe.ModifierRegistry;
import io.llmc4j.compress.recipe.ModifierType;
import io.llmc4j.compress.recipe.RecipeParser;
import io.llmc4j.compress.recipe.RecipeWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry with two test-only modifier types, "RecordingModifier" and "OtherModifier", whose
 * modifiers log their callbacks to {@link #log}.
 */
public final class TestModifiers {
    public final List<String> log = new ArrayList<>();
    public final ModifierRegistry registry = new ModifierRegistry();
    public final ModifierType<RecordingArgs> recording = registry.register("RecordingModifier", RecordingArgs.class,
            RecordingArgs.DEFAULTS, (args, settings) -> new RecordingModifier(args, settings, log));
    public final ModifierType<RecordingArgs> other = registry.register("OtherModifier", RecordingArgs.class,
            RecordingArgs.DEFAULTS.withScheme("other"), (args, settings) -> new RecordingModifier(args, settings, log));
    public final RecipeParser parser = new RecipeParser(registry);
    public final RecipeWriter writer = new RecipeWriter(registry);
}
