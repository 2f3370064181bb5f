package io.llmc4j.engine.fx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Hands out unique node names: {@code linear}, {@code linear_1}, ... (torch.fx's naming). Not thread-safe. */
final class NodeNamer {
    private final Set<String> used = new HashSet<>();
    private final Map<String, Integer> next = new HashMap<>();

    /** Claims {@code name} exactly; it must be new. */
    String reserve(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a graph input needs a non-empty name");
        if (!used.add(name)) throw new IllegalArgumentException("node name '" + name + "' is already used");
        return name;
    }

    /** {@code base} made identifier-like, with a numeric suffix when taken. */
    String fresh(String base) {
        String clean = base.replaceAll("[^A-Za-z0-9_]", "_");
        if (clean.isEmpty()) clean = "node";
        if (used.add(clean)) return clean;
        int n = next.getOrDefault(clean, 1);
        while (!used.add(clean + "_" + n)) n++;
        next.put(clean, n + 1);
        return clean + "_" + n;
    }
}
