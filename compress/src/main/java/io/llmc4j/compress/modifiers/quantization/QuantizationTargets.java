package io.llmc4j.compress.modifiers.quantization;

import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.compress.quantization.QuantizationConfigException;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.compress.quantization.lifecycle.QuantizedModule;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.nn.Linear;
import io.llmc4j.engine.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * The Linear modules a quantizing modifier works on: each Linear takes the first scheme whose targets
 * match it, unless {@code ignore} matches it (then it is listed as ignored). Checks what the
 * checkpoint needs (group sizes divide the columns, no tied lm_head). Shared by every
 * {@link QuantizingModifier}.
 *
 * @param modules the matched Linear modules with their schemes, in model order
 * @param ignored every Linear left unquantized (not targeted, or excluded by {@code ignore}), in model order
 */
public record QuantizationTargets(List<QuantizedModule> modules, List<String> ignored) {

    /** {@link #match(Module, List, List, List, boolean, String)} with groups named group_0, group_1, … and divisibility checked. */
    public static QuantizationTargets match(Module model, List<QuantizationScheme> schemes, List<String> ignore, String modifier) {
        List<String> groupNames = new ArrayList<>();
        for (int i = 0; i < schemes.size(); i++) groupNames.add("group_" + i);
        return match(model, schemes, groupNames, ignore, false, modifier);
    }

    /**
     * The targets of {@code schemes} in {@code model}, minus {@code ignore}. A non-Linear module that a
     * group targets fails naming the group ({@code groupNames}, parallel to {@code schemes}); group sizes
     * must divide the columns unless {@code bypassDivisibility}; fails when nothing matches.
     */
    public static QuantizationTargets match(Module model, List<QuantizationScheme> schemes, List<String> groupNames, List<String> ignore,
                                            boolean bypassDivisibility, String modifier) {
        if (model == null) throw new IllegalStateException(modifier + " needs a model in the session state");
        ModulePatterns ignorePatterns = ModulePatterns.of(ignore);
        List<ModulePatterns> targets = schemes.stream().map(s -> ModulePatterns.of(s.targets())).toList();
        List<QuantizedModule> modules = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (var entry : model.namedModules().entrySet()) {
            String name = entry.getKey();
            int group = firstMatch(targets, name, entry.getValue());
            if (!(entry.getValue() instanceof Linear linear)) {
                if (group >= 0 && !ignorePatterns.matches(name, entry.getValue()))
                    UnsupportedTargets.check(name, entry.getValue(), groupNames.get(group), targets.get(group).matchingPatterns(name, entry.getValue()));
                continue;
            }
            if (group < 0 || ignorePatterns.matches(name, linear)) {
                ignored.add(name);   // compressed-tensors lists every unquantized Linear in the checkpoint's ignore
                continue;
            }
            if (model instanceof CausalLM lm && lm.tiedEmbeddings() && linear == lm.submodule("lm_head"))
                throw new QuantizationConfigException("ignore", "'" + name + "' shares its weight with the embedding (tie_word_embeddings); add it to ignore");
            QuantizationScheme scheme = schemes.get(group);
            if (!bypassDivisibility) GroupDivisibility.check(name, linear, scheme);
            modules.add(new QuantizedModule(name, linear, scheme));
        }
        if (modules.isEmpty())
            throw new QuantizationConfigException("targets", "no Linear module matches the targets " + schemes.stream().map(QuantizationScheme::targets).toList()
                    + " outside ignore " + ignore);
        return new QuantizationTargets(List.copyOf(modules), List.copyOf(ignored));
    }

    private static int firstMatch(List<ModulePatterns> targets, String name, Module module) {
        for (int i = 0; i < targets.size(); i++) if (targets.get(i).matches(name, module)) return i;
        return -1;
    }
}
