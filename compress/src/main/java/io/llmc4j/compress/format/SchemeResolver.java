package io.llmc4j.compress.format;

import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.compress.quantization.QuantizationScheme;
import io.llmc4j.engine.nn.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which config group quantizes which module of a loaded model: modules with a {@code weight}
 * parameter that some group's {@code targets} match ({@link ModulePatterns}: class names such as
 * {@code Linear}, exact dotted names, {@code re:} regexes) and that {@code ignore} does not match.
 * When several groups match a module, the most specific match wins (exact name, then regex, then class
 * name), and among equally specific ones the first group. Immutable and thread-safe.
 */
final class SchemeResolver {
    /** A resolved module: its group name and scheme. */
    record Resolved(String group, QuantizationScheme scheme) {
    }

    private final Map<String, QuantizationScheme> groups;
    private final Map<String, ModulePatterns> targets = new LinkedHashMap<>();
    private final ModulePatterns ignore;

    SchemeResolver(QuantizationConfig config) {
        this.groups = config.configGroups();
        groups.forEach((name, scheme) -> targets.put(name, ModulePatterns.of(scheme.targets())));
        this.ignore = ModulePatterns.of(config.ignore());
    }

    /** Every quantized module of {@code root}, by dotted name in tree order. */
    Map<String, Resolved> resolve(Module root) {
        Map<String, Resolved> out = new LinkedHashMap<>();
        for (var e : root.namedModules().entrySet()) {
            String name = e.getKey();
            Module module = e.getValue();
            if (module.parameter("weight") == null || ignore.matches(name, module)) continue;
            String best = null;
            int bestRank = Integer.MAX_VALUE;
            for (var g : targets.entrySet()) {
                List<String> matching = g.getValue().matchingPatterns(name, module);
                if (matching.isEmpty()) continue;
                int rank = specificity(matching.getFirst(), name);
                if (rank < bestRank) {
                    best = g.getKey();
                    bestRank = rank;
                }
            }
            if (best != null) out.put(name, new Resolved(best, groups.get(best)));
        }
        return out;
    }

    /** The group names, for messages. */
    List<String> groupTargets() {
        List<String> out = new ArrayList<>();
        groups.forEach((name, scheme) -> out.add(name + " " + scheme.targets()));
        return out;
    }

    ModulePatterns ignore() {
        return ignore;
    }

    private static int specificity(String pattern, String name) {
        if (pattern.equals(name)) return 0;
        return pattern.startsWith("re:") ? 1 : 2;
    }
}
