package io.llmc4j.compress.modifiers;

/**
 * The fields every modifier has (the reference's {@code Modifier.index/group/start/end/update}):
 * its group name (the {@code <group>_modifiers} key of a recipe), its position, and its schedule in
 * event indices (global steps, or fractional epochs for epoch based events). Null means unset: a
 * modifier with no {@code start} is never started by batch events (it starts itself, e.g. on
 * CALIBRATION_EPOCH_START); a null {@code end} never ends it; a null or non-positive {@code update}
 * updates at every event.
 *
 * @param group  the modifier group, or null
 * @param index  the modifier's index in its recipe, or null
 * @param start  first event index at which the modifier is active, or null
 * @param end    event index at which the modifier ends, or null
 * @param update update interval in event indices, or null
 */
public record ModifierSettings(String group, Integer index, Double start, Double end, Double update) {

    public static final ModifierSettings NONE = new ModifierSettings(null, null, null, null, null);

    /** Settings with only a schedule. */
    public static ModifierSettings schedule(Double start, Double end, Double update) {
        return new ModifierSettings(null, null, start, end, update);
    }

    public ModifierSettings withGroup(String newGroup) {
        return new ModifierSettings(newGroup, index, start, end, update);
    }

    public ModifierSettings withIndex(Integer newIndex) {
        return new ModifierSettings(group, newIndex, start, end, update);
    }
}
