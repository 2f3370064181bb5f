package io.llmc4j.engine.fx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable dataflow graph of {@link Node}s in execution (topological) order, ending with one
 * {@link Output} (torch.fx's {@code Graph}). Nodes name their inputs; the graph derives each node's
 * users once, at construction.
 *
 * <p>The constructor accepts any list of uniquely usable nodes so that a pass's result can be
 * checked: {@link #problems()} lists every violation of the invariants (unique names, inputs that
 * exist and come earlier, users and inputs that agree, one output at the end) and passes call
 * {@link #requireWellFormed} after they build a graph. {@link #text()} prints one node per line.
 *
 * <p>Immutable and thread-safe.
 */
public final class Graph {
    private final List<Node> nodes;
    private final Map<String, Integer> index;
    private final Map<String, List<String>> users;
    private final List<String> duplicateNames;

    public Graph(List<? extends Node> nodes) {
        this.nodes = List.copyOf(nodes);
        Map<String, Integer> idx = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < this.nodes.size(); i++) {
            if (idx.putIfAbsent(this.nodes.get(i).name(), i) != null) duplicates.add(this.nodes.get(i).name());
        }
        Map<String, List<String>> u = new LinkedHashMap<>();
        for (Node n : this.nodes) u.putIfAbsent(n.name(), new ArrayList<>());
        for (Node n : this.nodes) {
            for (String in : n.inputs()) {
                List<String> list = u.get(in);
                if (list != null && !list.contains(n.name())) list.add(n.name());
            }
        }
        u.replaceAll((k, v) -> List.copyOf(v));
        this.index = Collections.unmodifiableMap(idx);
        this.users = Collections.unmodifiableMap(u);
        this.duplicateNames = List.copyOf(duplicates);
    }

    /** All nodes in execution order. */
    public List<Node> nodes() {
        return nodes;
    }

    public int size() {
        return nodes.size();
    }

    public boolean contains(String name) {
        return index.containsKey(name);
    }

    /**
     * The node called {@code name}.
     *
     * @throws IllegalArgumentException when there is none
     */
    public Node node(String name) {
        Integer i = index.get(name);
        if (i == null) throw new IllegalArgumentException("graph has no node '" + name + "'");
        return nodes.get(i);
    }

    /** Position of node {@code name} in execution order. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) throw new IllegalArgumentException("graph has no node '" + name + "'");
        return i;
    }

    /** Names of the nodes that read node {@code name}, in execution order. */
    public List<String> users(String name) {
        List<String> u = users.get(name);
        if (u == null) throw new IllegalArgumentException("graph has no node '" + name + "'");
        return u;
    }

    public List<Placeholder> placeholders() {
        List<Placeholder> out = new ArrayList<>();
        for (Node n : nodes) if (n instanceof Placeholder p) out.add(p);
        return out;
    }

    /** The output node (the last node of a well-formed graph). */
    public Output output() {
        if (!nodes.isEmpty() && nodes.getLast() instanceof Output o) return o;
        throw new IllegalStateException("graph does not end with an output node");
    }

    /** Names of the values the graph returns. */
    public List<String> outputNames() {
        return output().values();
    }

    /** Every violated invariant, one message each; empty for a well-formed graph. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (String d : duplicateNames) problems.add("node name '" + d + "' is used twice");
        int outputs = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n instanceof Output) {
                outputs++;
                if (i != nodes.size() - 1) problems.add("output node '" + n.name() + "' is not the last node");
            }
            Set<String> seen = new HashSet<>();
            for (String in : n.inputs()) {
                if (!seen.add(in)) problems.add("node '" + n.name() + "' lists input '" + in + "' twice");
                Integer at = index.get(in);
                if (at == null) {
                    problems.add("node '" + n.name() + "' reads unknown node '" + in + "'");
                } else {
                    if (at >= i) problems.add("node '" + n.name() + "' reads '" + in + "', which comes later");
                    if (!users.get(in).contains(n.name())) problems.add("node '" + in + "' does not list its user '" + n.name() + "'");
                }
            }
        }
        for (var e : users.entrySet()) {
            Set<String> seen = new HashSet<>();
            for (String user : e.getValue()) {
                if (!seen.add(user)) problems.add("node '" + e.getKey() + "' lists user '" + user + "' twice");
                Integer at = index.get(user);
                if (at == null || !nodes.get(at).inputs().contains(e.getKey()))
                    problems.add("node '" + e.getKey() + "' lists user '" + user + "', which does not read it");
            }
        }
        if (outputs != 1) problems.add("graph has " + outputs + " output nodes, expected exactly 1");
        return problems;
    }

    /** True when {@link #problems()} is empty (LLM Compressor's {@code graph_is_well_formed}). */
    public boolean isWellFormed() {
        return problems().isEmpty();
    }

    /**
     * Returns this graph, or throws when it is not well formed.
     *
     * @param producedBy the pass that built it, for the message
     */
    public Graph requireWellFormed(String producedBy) {
        List<String> problems = problems();
        if (!problems.isEmpty())
            throw new IllegalStateException("graph built by " + producedBy + " is not well formed: " + String.join("; ", problems)
                    + "\n" + text());
        return this;
    }

    /** One node per line, e.g. {@code %linear = call_function[LINEAR](%x, %w, null) : F32[2, 8]}. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) sb.append(line(n)).append('\n');
        return sb.toString();
    }

    /** The text line of one node. */
    public static String line(Node node) {
        return switch (node) {
            case Placeholder p -> "%" + p.name() + " = placeholder : " + p.meta();
            case GetAttr g -> "%" + g.name() + " = get_attr[" + g.target() + "] : " + g.meta();
            case CallModule m -> "%" + m.name() + " = call_module[" + m.modulePath() + "](" + joinArgs(m.args()) + ") : " + m.meta();
            case CallFunction f -> "%" + f.name() + " = call_function[" + f.op() + "](" + joinArgs(f.args()) + ") : " + f.meta();
            case Output o -> "return (" + String.join(", ", o.values().stream().map(v -> "%" + v).toList()) + ")";
        };
    }

    private static String joinArgs(List<Arg> args) {
        return String.join(", ", args.stream().map(Object::toString).toList());
    }

    @Override
    public String toString() {
        return text();
    }
}
