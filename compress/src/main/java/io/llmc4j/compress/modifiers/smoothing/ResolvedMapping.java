package io.llmc4j.compress.modifiers.smoothing;

import io.llmc4j.engine.nn.Module;
import java.util.List;

/**
 * A mapping resolved in one decoder layer: the smooth module, the balance modules (each with a
 * 2-D {@code weight} whose columns read the smooth module's outputs) and their lowest common
 * ancestor that is not a module list (the parent whose output AWQ compares).
 *
 * @param layer        the decoder layer's dotted name
 * @param smoothName   the smooth module's dotted name
 * @param balanceNames the balance modules' dotted names, in model order
 * @param parentName   the parent's dotted name
 */
public record ResolvedMapping(String layer, String smoothName, Module smooth, List<String> balanceNames, List<Module> balance,
                              String parentName, Module parent) {
    public ResolvedMapping {
        balanceNames = List.copyOf(balanceNames);
        balance = List.copyOf(balance);
    }

    @Override
    public String toString() {
        return smoothName + " -> " + balanceNames;
    }
}
