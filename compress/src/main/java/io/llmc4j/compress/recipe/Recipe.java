package io.llmc4j.compress.recipe;

import io.llmc4j.compress.modifiers.Modifier;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An LLM Compressor recipe: stages in order, each a list of modifier entries, plus the free-form
 * top-level {@code args} map (kept and written back, not interpreted). Read one with
 * {@link RecipeParser}, write one with {@link RecipeWriter}, or build one in code:
 *
 * <pre>{@code
 * Recipe recipe = Recipe.of(RecipeModifier.of(quantization, new QuantizationArgs(...)));
 * }</pre>
 *
 * Immutable; {@link #createModifiers()} makes fresh modifiers on each call.
 *
 * @param args   the recipe's {@code args} (plain YAML values), in order
 * @param stages stages in execution order, with distinct names
 */
public record Recipe(Map<String, Object> args, List<RecipeStage> stages) {

    /** The stage name of modifiers given without a stage (the reference's "default"). */
    public static final String DEFAULT_STAGE = "default";

    public Recipe {
        args = args == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(args));
        stages = List.copyOf(stages);
        Set<String> names = new HashSet<>();
        for (RecipeStage stage : stages)
            if (!names.add(stage.name()))
                throw new RecipeException(stage.name() + "_stage", "stage names must be distinct, found '" + stage.name() + "' twice");
    }

    /** The empty recipe: no stages, no modifiers. */
    public static Recipe empty() {
        return new Recipe(Map.of(), List.of());
    }

    /** One stage named "default" holding {@code modifiers} in order. */
    public static Recipe of(RecipeModifier<?>... modifiers) {
        return new Recipe(Map.of(), List.of(new RecipeStage(DEFAULT_STAGE, Arrays.asList(modifiers))));
    }

    public static Recipe ofStages(RecipeStage... stages) {
        return new Recipe(Map.of(), List.of(stages));
    }

    /** Every entry of every stage, in execution order. */
    public List<RecipeModifier<?>> modifiers() {
        return stages.stream().flatMap(s -> s.modifiers().stream()).toList();
    }

    /** New modifiers for every entry, in execution order. */
    public List<Modifier> createModifiers() {
        return modifiers().stream().map(RecipeModifier::create).toList();
    }

    /**
     * The stages whose key ({@code <name>_stage}) starts with {@code targetStage} (the reference's
     * {@code filter_dict}); all stages when {@code targetStage} is null or empty.
     */
    public Recipe filterStages(String targetStage) {
        if (targetStage == null || targetStage.isEmpty()) return this;
        return new Recipe(args, stages.stream().filter(s -> (s.name() + "_stage").startsWith(targetStage)).toList());
    }
}
