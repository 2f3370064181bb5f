package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.engine.fx.CallFunction;
import io.llmc4j.engine.fx.CallModule;
import io.llmc4j.engine.fx.GetAttr;
import io.llmc4j.engine.fx.Graph;
import io.llmc4j.engine.fx.Interpreter;
import io.llmc4j.engine.fx.Node;
import io.llmc4j.engine.fx.Output;
import io.llmc4j.engine.fx.Placeholder;
import io.llmc4j.engine.fx.TensorMeta;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cuts a traced model into {@link Subgraph}s so that each sequential target runs in exactly one of
 * them and running them in order equals running the model (LLM Compressor's
 * {@code topological_partition}, {@code partition_graph} and {@code trace_consumed_names}). Pure
 * functions over immutable graphs; every graph built is checked to be well formed.
 *
 * <pre>
 *  x ─ embed ─ rotary ─ layer0 │ layer1 │ layer2 │ norm ─ lm_head ─ output
 *  └──────── partition 0 ──────┘└─ 1 ───┘└─ 2 ───┘└────── partition 3 ──────┘
 * </pre>
 */
public final class GraphPartitioner {
    private GraphPartitioner() {
    }

    /** Names of the {@code call_module} nodes that call a module in {@code targetModulePaths}. */
    public static Set<String> findTargetNodes(Graph graph, Collection<String> targetModulePaths) {
        Set<String> paths = new HashSet<>(targetModulePaths);
        Set<String> out = new LinkedHashSet<>();
        for (Node n : graph.nodes()) if (n instanceof CallModule m && paths.contains(m.modulePath())) out.add(m.name());
        return out;
    }

    /**
     * Assigns nodes to partitions by a queue-based topological walk (Kahn's algorithm, first in first
     * out). The walk appends each node to the current partition; after every
     * {@code targetsPerSubgraph}-th target node it opens a new one. So partition 0 holds what runs
     * before the first target (the head: embeddings, rotary tables) plus the first group of targets,
     * each later partition one group, and the last partition what runs after the last complete group
     * (the tail: final norm, lm_head, output) — floor(targets / targetsPerSubgraph) + 1 partitions
     * when the output depends on everything. A node lands in a partition only after all its inputs
     * are placed, so no partition reads from a later one.
     *
     * <p>{@code get_attr} nodes are left out of the walk and put at the front of every partition that
     * reads them (re-reading a parameter is free, and a weight passed through the cache would be
     * copied); an unread one goes to partition 0. Every other node is in exactly one partition.
     *
     * @throws IllegalArgumentException for a graph that is not well formed, an unknown or non-module
     *                                  target node, or {@code targetsPerSubgraph < 1}
     */
    public static List<List<Node>> topologicalPartition(Graph graph, Set<String> targetNodes, int targetsPerSubgraph) {
        if (targetsPerSubgraph < 1) throw new IllegalArgumentException("targets per subgraph must be at least 1, got " + targetsPerSubgraph);
        if (!graph.isWellFormed()) throw new IllegalArgumentException("cannot partition a graph that is not well formed: " + graph.problems());
        for (String t : targetNodes) {
            if (!graph.contains(t) || !(graph.node(t) instanceof CallModule))
                throw new IllegalArgumentException("target node '" + t + "' is not a call_module node of the graph");
        }
        Map<String, Integer> remaining = new HashMap<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        for (Node n : graph.nodes()) {
            if (n instanceof GetAttr) continue;
            int count = 0;
            for (String in : n.inputs()) if (!(graph.node(in) instanceof GetAttr)) count++;
            remaining.put(n.name(), count);
            if (count == 0) queue.add(n);
        }
        List<List<Node>> partitions = new ArrayList<>();
        partitions.add(new ArrayList<>());
        Map<String, Integer> home = new HashMap<>();
        int targetsInCurrent = 0;
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            home.put(node.name(), partitions.size() - 1);
            partitions.getLast().add(node);
            if (targetNodes.contains(node.name()) && ++targetsInCurrent == targetsPerSubgraph) {
                partitions.add(new ArrayList<>());
                targetsInCurrent = 0;
            }
            for (String user : graph.users(node.name())) {
                if (remaining.merge(user, -1, Integer::sum) == 0) queue.add(graph.node(user));
            }
        }
        if (home.size() != remaining.size()) throw new IllegalStateException("topological walk placed " + home.size() + " of " + remaining.size() + " nodes");
        if (partitions.getLast().isEmpty()) partitions.removeLast();
        for (int i = graph.size() - 1; i >= 0; i--) {
            if (!(graph.nodes().get(i) instanceof GetAttr attr)) continue;
            Set<Integer> readers = new LinkedHashSet<>();
            for (String user : graph.users(attr.name())) readers.add(home.get(user));
            if (readers.isEmpty()) readers.add(0);
            for (int p : readers) partitions.get(p).addFirst(attr);
        }
        return partitions;
    }

    /**
     * Turns each partition into a {@link Subgraph}: placeholders for the values it reads from earlier
     * partitions (named as in the full graph), its nodes, and an output that returns, by name, each
     * of its values that another partition reads, plus the model output where the original output
     * node lies. Placeholders of the full graph are never returned (the cache already holds them).
     * Consumed names are left empty; see {@link #traceConsumedNames}.
     */
    public static List<Subgraph> partitionGraph(Graph graph, List<List<Node>> partitions, Interpreter interpreter) {
        Map<String, Integer> home = new HashMap<>();
        for (int p = 0; p < partitions.size(); p++)
            for (Node n : partitions.get(p)) if (!(n instanceof GetAttr)) home.put(n.name(), p);
        String outputName = graph.output().name();
        List<Subgraph> subgraphs = new ArrayList<>(partitions.size());
        for (int p = 0; p < partitions.size(); p++) {
            List<Node> partition = partitions.get(p);
            Set<String> inside = new HashSet<>();
            for (Node n : partition) inside.add(n.name());
            Set<String> external = new TreeSet<>((a, b) -> Integer.compare(graph.indexOf(a), graph.indexOf(b)));
            for (Node n : partition) for (String in : n.inputs()) if (!inside.contains(in)) external.add(in);

            List<Node> nodes = new ArrayList<>();
            for (String name : external) nodes.add(new Placeholder(name, metaOf(graph.node(name))));
            Set<String> returned = new LinkedHashSet<>();
            List<String> modelOutputs = List.of();
            for (Node n : partition) {
                if (n instanceof Output o) {
                    modelOutputs = o.values();
                    continue;
                }
                nodes.add(n);
                if (n instanceof Placeholder || n instanceof GetAttr) continue;
                for (String user : graph.users(n.name())) {
                    if (home.get(user) != p) {
                        returned.add(n.name());
                        break;
                    }
                }
            }
            returned.addAll(modelOutputs);
            nodes.add(new Output(outputName, new ArrayList<>(returned)));
            Graph sub = new Graph(nodes).requireWellFormed("partitionGraph (partition " + p + " of " + partitions.size() + ")");
            Set<String> inputs = new LinkedHashSet<>();
            Set<String> modules = new LinkedHashSet<>();
            for (Node n : sub.nodes()) {
                if (n instanceof Placeholder ph) inputs.add(ph.name());
                if (n instanceof CallModule m) modules.add(m.modulePath());
            }
            subgraphs.add(new Subgraph(sub, inputs, Set.of(), modules, interpreter));
        }
        return subgraphs;
    }

    /**
     * Sets each subgraph's consumed names: every input is consumed by the last subgraph that reads
     * it, so the cache can drop it there.
     */
    public static List<Subgraph> traceConsumedNames(List<Subgraph> subgraphs) {
        Map<String, Integer> lastReader = new HashMap<>();
        for (int i = 0; i < subgraphs.size(); i++) for (String name : subgraphs.get(i).inputNames()) lastReader.put(name, i);
        List<Subgraph> out = new ArrayList<>(subgraphs.size());
        for (int i = 0; i < subgraphs.size(); i++) {
            Set<String> consumed = new LinkedHashSet<>();
            for (String name : subgraphs.get(i).inputNames()) if (lastReader.get(name) == i) consumed.add(name);
            out.add(subgraphs.get(i).withConsumedNames(consumed));
        }
        return out;
    }

    private static TensorMeta metaOf(Node node) {
        return switch (node) {
            case Placeholder p -> p.meta();
            case GetAttr g -> g.meta();
            case CallModule m -> m.meta();
            case CallFunction f -> f.meta();
            case Output o -> throw new IllegalArgumentException("the output node '" + o.name() + "' produces no value to read");
        };
    }
}
