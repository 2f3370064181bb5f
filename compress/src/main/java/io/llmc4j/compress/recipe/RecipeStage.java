package io.llmc4j.compress.recipe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.Set;

/**
 * One stage of a recipe ({@code <name>_stage:}): modifiers in the order they run, grouped by their
 * {@code group} ({@code <group>_modifiers:}). An entry without a group joins the group named like
 * the stage (as the reference does). Since a YAML recipe keys a group's modifiers by type, the
 * constructor requires each group's entries to be contiguous and of distinct types; then writing
 * and reading a stage gives the same stage back.
 *
 * @param name      stage name without the "_stage" suffix
 * @param modifiers entries in execution order
 */
public record RecipeStage(String name, List<RecipeModifier<?>> modifiers) {

    public RecipeStage {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new RecipeException("", "a stage name must not be blank");
        String stageName = name;
        modifiers = modifiers.stream()
                .<RecipeModifier<?>>map(m -> m.group() == null ? m.withSettings(m.settings().withGroup(stageName)) : m)
                .toList();
        checkGroups(name, modifiers);
    }

    /** The modifiers by group, groups in order of first appearance. */
    public SequencedMap<String, List<RecipeModifier<?>>> groups() {
        SequencedMap<String, List<RecipeModifier<?>>> groups = new LinkedHashMap<>();
        for (RecipeModifier<?> m : modifiers) groups.computeIfAbsent(m.group(), g -> new ArrayList<>()).add(m);
        groups.replaceAll((g, list) -> List.copyOf(list));
        return Collections.unmodifiableSequencedMap(groups);
    }

    private static void checkGroups(String stage, List<RecipeModifier<?>> modifiers) {
        Set<String> closedGroups = new HashSet<>();
        Set<String> typesInGroup = new HashSet<>();
        String current = null;
        for (RecipeModifier<?> m : modifiers) {
            String group = m.group();
            if (!group.equals(current)) {
                if (current != null) closedGroups.add(current);
                if (closedGroups.contains(group))
                    throw new RecipeException(stage + "_stage." + group + "_modifiers",
                            "the modifiers of group '" + group + "' must be contiguous, but " + m.typeName()
                                    + " comes after a modifier of group '" + current + "'");
                current = group;
                typesInGroup.clear();
            }
            if (!typesInGroup.add(m.typeName()))
                throw new RecipeException(stage + "_stage." + group + "_modifiers." + m.typeName(),
                        "a group may hold each modifier type once (recipes key modifiers by type), found a second "
                                + m.typeName());
        }
    }
}
