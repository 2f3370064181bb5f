package io.llmc4j.compress.match;

import io.llmc4j.engine.nn.Module;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recipe-style module patterns ({@code targets}, {@code ignore}, {@code sequential_targets}), as
 * compressed-tensors' {@code is_match} reads them. A pattern matches a module when it is
 * <ul>
 *   <li>{@code re:<regex>}: the regex matches at the start of the module's dotted name (Python's
 *       {@code re.match}, so {@code re:.*q_proj} matches {@code model.layers.0.self_attn.q_proj});</li>
 *   <li>otherwise: the exact dotted name ({@code lm_head}) or the module's {@code typeName()}
 *       ({@code Linear}, {@code LlamaDecoderLayer}).</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class ModulePatterns {
    private final List<String> patterns;
    private final Map<String, Pattern> regexes;

    private ModulePatterns(List<String> patterns) {
        this.patterns = patterns;
        Map<String, Pattern> compiled = new LinkedHashMap<>();
        for (String p : patterns) {
            if (p == null || p.isEmpty()) throw new IllegalArgumentException("module pattern must not be empty, got " + patterns);
            if (p.startsWith("re:")) {
                try {
                    compiled.put(p, Pattern.compile(p.substring(3)));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("module pattern '" + p + "' is not a valid regular expression: " + e.getDescription(), e);
                }
            }
        }
        this.regexes = compiled;
    }

    /** Patterns in the given order, duplicates dropped; null means none. */
    public static ModulePatterns of(Collection<String> patterns) {
        return new ModulePatterns(patterns == null ? List.of() : List.copyOf(new LinkedHashSet<>(patterns)));
    }

    public static ModulePatterns of(String... patterns) {
        return of(List.of(patterns));
    }

    public List<String> patterns() {
        return patterns;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** True when any pattern matches the module at dotted path {@code name}. */
    public boolean matches(String name, Module module) {
        for (String p : patterns) if (matches(p, name, module)) return true;
        return false;
    }

    /**
     * True when any pattern matches the dotted name {@code name} by name alone (an exact name or a
     * {@code re:} regex), for tensors of a checkpoint read without a model: compressed-tensors'
     * {@code match_name}. Class names such as {@code Linear} never match here.
     */
    public boolean matchesName(String name) {
        for (String p : patterns) {
            if (p.startsWith("re:") ? regexes.get(p).matcher(name).lookingAt() : p.equals(name)) return true;
        }
        return false;
    }

    /**
     * The patterns that match, most specific first: exact names, then regexes, then type names
     * (compressed-tensors' {@code match_targets} order, used to pick a scheme when several apply).
     */
    public List<String> matchingPatterns(String name, Module module) {
        List<String> exact = new ArrayList<>(), regex = new ArrayList<>(), type = new ArrayList<>();
        for (String p : patterns) {
            if (p.startsWith("re:")) {
                if (regexes.get(p).matcher(name).lookingAt()) regex.add(p);
            } else if (p.equals(name)) {
                exact.add(p);
            } else if (p.equals(module.typeName())) {
                type.add(p);
            }
        }
        exact.addAll(regex);
        exact.addAll(type);
        return exact;
    }

    /** The modules of {@code root}'s tree ({@code ""} is the root) that match, in tree order. */
    public Map<String, Module> matchModules(Module root) {
        Map<String, Module> out = new LinkedHashMap<>();
        for (var e : root.namedModules().entrySet()) if (matches(e.getKey(), e.getValue())) out.put(e.getKey(), e.getValue());
        return out;
    }

    /** The patterns that match no module of {@code root}'s tree (for "did you mean" errors). */
    public Set<String> unmatched(Module root) {
        Set<String> left = new LinkedHashSet<>(patterns);
        for (var e : root.namedModules().entrySet()) left.removeIf(p -> matches(p, e.getKey(), e.getValue()));
        return left;
    }

    private boolean matches(String pattern, String name, Module module) {
        if (pattern.startsWith("re:")) return regexes.get(pattern).matcher(name).lookingAt();
        return pattern.equals(name) || pattern.equals(module.typeName());
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
