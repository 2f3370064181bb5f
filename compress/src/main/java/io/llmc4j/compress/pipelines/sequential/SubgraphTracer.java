package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.engine.fx.Graph;
import io.llmc4j.engine.fx.Interpreter;
import io.llmc4j.engine.fx.Tracer;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.Set;

/**
 * Traces a model into the subgraphs of the sequential pipeline (LLM Compressor's
 * {@code trace_subgraphs}): resolve the sequential targets (or infer them), trace with targets,
 * non-ancestors and ignored modules as leaves, partition, turn partitions into subgraphs, fill in
 * consumed names. The targets and the leaf predicate are resolved once, at construction, so one
 * instance can trace the same model for several input shapes. Not thread-safe while tracing (the
 * trace disables hooks process-wide).
 */
public final class SubgraphTracer {
    private final Module model;
    private final Interpreter interpreter;
    private final Set<String> targets;
    private final Tracer tracer;
    private final int targetsPerSubgraph;

    /**
     * @param sequentialTargets  module patterns; empty or null: {@link SequentialTargets#infer}
     * @param ignore             module patterns traced as leaves whatever they contain (tracing ignore)
     * @param targetsPerSubgraph how many targets share one subgraph (at least 1)
     */
    public SubgraphTracer(Module model, Ops ops, List<String> sequentialTargets, List<String> ignore, int targetsPerSubgraph) {
        if (targetsPerSubgraph < 1) throw new IllegalArgumentException("targets per subgraph must be at least 1, got " + targetsPerSubgraph);
        this.model = Objects.requireNonNull(model, "model");
        this.interpreter = new Interpreter(model, ops);
        List<String> patterns = sequentialTargets == null || sequentialTargets.isEmpty() ? SequentialTargets.infer(model) : sequentialTargets;
        this.targets = Collections.unmodifiableSequencedSet(SequentialTargets.resolve(model, patterns));
        Set<String> ancestors = SequentialTargets.sequentialAncestors(model, targets);
        this.tracer = new Tracer(SequentialTargets.leafPredicate(targets, ancestors, ModulePatterns.of(ignore)));
        this.targetsPerSubgraph = targetsPerSubgraph;
    }

    /** Paths of the resolved sequential target modules, in tree order. */
    public Set<String> targets() {
        return targets;
    }

    /** The full trace for inputs shaped like {@code sampleInputs} (null values fixed at trace time). */
    public Graph traceGraph(SequencedMap<String, Tensor> sampleInputs) {
        return tracer.trace(model, sampleInputs);
    }

    /** The subgraphs, in execution order, for inputs shaped like {@code sampleInputs}. */
    public List<Subgraph> trace(SequencedMap<String, Tensor> sampleInputs) {
        Graph graph = traceGraph(sampleInputs);
        Set<String> targetNodes = GraphPartitioner.findTargetNodes(graph, targets);
        var partitions = GraphPartitioner.topologicalPartition(graph, targetNodes, targetsPerSubgraph);
        return GraphPartitioner.traceConsumedNames(GraphPartitioner.partitionGraph(graph, partitions, interpreter));
    }

    /** One-call form of {@code new SubgraphTracer(...).trace(sampleInputs)}. */
    public static List<Subgraph> traceSubgraphs(Module model, Ops ops, SequencedMap<String, Tensor> sampleInputs,
                                                List<String> sequentialTargets, List<String> ignore, int targetsPerSubgraph) {
        return new SubgraphTracer(model, ops, sequentialTargets, ignore, targetsPerSubgraph).trace(sampleInputs);
    }
}
