package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.engine.nn.Module;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Which modules the sequential pipeline cuts the model at, and which modules the tracer keeps
 * whole (LLM Compressor's {@code match_modules}, {@code get_sequential_ancestors} and the
 * sequential tracer's {@code is_leaf_module}).
 */
public final class SequentialTargets {
    private static final Pattern DECODER_LAYER = Pattern.compile("(.*\\.)?layers\\.\\d+");
    private static final Pattern INDEX = Pattern.compile("\\d+");

    private SequentialTargets() {
    }

    /**
     * Paths of the modules matching {@code patterns} (type names, exact names, {@code re:} regexes).
     *
     * @throws IllegalArgumentException when a pattern matches nothing, listing the model's type names
     */
    public static SequencedSet<String> resolve(Module model, List<String> patterns) {
        ModulePatterns matcher = ModulePatterns.of(patterns);
        Set<String> unmatched = matcher.unmatched(model);
        if (!unmatched.isEmpty()) {
            Set<String> types = new TreeSet<>();
            for (Module m : model.namedModules().values()) types.add(m.typeName());
            throw new IllegalArgumentException("sequential targets " + unmatched + " match no module of " + model.typeName()
                    + "; its module types are " + types);
        }
        return new LinkedHashSet<>(matcher.matchModules(model).keySet());
    }

    /**
     * Sequential targets for a model whose recipe names none (LLM Compressor reads the model's
     * {@code _no_split_modules}; llmc4j has no such list, so it looks at the tree): the most common
     * type name among modules at {@code <prefix>.layers.<n>} (decoder layers); failing that, the most
     * common type among the children of the shallowest list-like container (a module with two or more
     * children, all named by integers); failing that, none (the model runs as one subgraph).
     * Ties go to the type met first in tree order.
     */
    public static List<String> infer(Module model) {
        Map<String, Module> modules = model.namedModules();
        Map<String, Integer> layerTypes = new LinkedHashMap<>();
        for (var e : modules.entrySet())
            if (DECODER_LAYER.matcher(e.getKey()).matches()) layerTypes.merge(e.getValue().typeName(), 1, Integer::sum);
        if (!layerTypes.isEmpty()) return List.of(mostCommon(layerTypes));

        String container = null;
        for (var e : modules.entrySet()) {
            Map<String, Module> children = e.getValue().children();
            if (children.size() < 2 || !children.keySet().stream().allMatch(k -> INDEX.matcher(k).matches())) continue;
            if (container == null || depth(e.getKey()) < depth(container)) container = e.getKey();
        }
        if (container == null) return List.of();
        Map<String, Integer> types = new LinkedHashMap<>();
        for (Module child : modules.get(container).children().values()) types.merge(child.typeName(), 1, Integer::sum);
        return List.of(mostCommon(types));
    }

    /**
     * Paths of the modules that have a target below them in the tree, targets themselves excluded
     * (a target is never looked into, so a target below another target does not count).
     */
    public static Set<String> sequentialAncestors(Module model, Collection<String> targetPaths) {
        Set<String> targets = new LinkedHashSet<>(targetPaths);
        Set<String> ancestors = new LinkedHashSet<>();
        collectAncestors("", model, targets, ancestors);
        return ancestors;
    }

    private static boolean collectAncestors(String path, Module module, Set<String> targets, Set<String> ancestors) {
        if (targets.contains(path)) return true;
        boolean any = false;
        for (var child : module.children().entrySet()) {
            String childPath = path.isEmpty() ? child.getKey() : path + "." + child.getKey();
            any |= collectAncestors(childPath, child.getValue(), targets, ancestors);
        }
        if (any) ancestors.add(path);
        return any;
    }

    /**
     * The tracer's leaf predicate: targets, modules that are not ancestors of a target, and modules
     * matching {@code ignore} stay one {@code call_module} node; ancestors are traced inside.
     */
    public static BiPredicate<String, Module> leafPredicate(Set<String> targetPaths, Set<String> ancestors, ModulePatterns ignore) {
        Set<String> targets = Set.copyOf(targetPaths), inside = Set.copyOf(ancestors);
        return (path, module) -> targets.contains(path) || !inside.contains(path) || ignore.matches(path, module);
    }

    private static String mostCommon(Map<String, Integer> counts) {
        String best = null;
        for (var e : counts.entrySet()) if (best == null || e.getValue() > counts.get(best)) best = e.getKey();
        return best;
    }

    private static int depth(String path) {
        return path.isEmpty() ? 0 : path.split("\\.").length;
    }
}
