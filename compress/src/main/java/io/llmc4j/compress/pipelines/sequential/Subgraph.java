package io.llmc4j.compress.pipelines.sequential;

import io.llmc4j.engine.fx.Graph;
import io.llmc4j.engine.fx.Interpreter;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One executable piece of a traced model (LLM Compressor's {@code Subgraph}): its graph reads
 * {@code inputNames} (placeholders, named after the nodes of the full trace that produce them) and
 * returns, by node name, every value a later subgraph reads, plus the model's output where it is
 * computed. {@code consumedNames} are the inputs no later subgraph reads; the pipeline deletes them
 * from the cache after this subgraph. {@code moduleNames} are the paths of the modules it calls
 * (each one a {@code call_module} node: sequential targets and other leaves).
 *
 * <p>The name sets keep their order (graph order) and are unmodifiable. Thread-safety: as the
 * modules it calls.
 */
public record Subgraph(Graph graph, Set<String> inputNames, Set<String> consumedNames, Set<String> moduleNames, Interpreter interpreter) {
    public Subgraph {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(interpreter, "interpreter");
        inputNames = ordered(inputNames);
        consumedNames = ordered(consumedNames);
        moduleNames = ordered(moduleNames);
        if (!inputNames.containsAll(consumedNames))
            throw new IllegalArgumentException("consumed names " + consumedNames + " must be inputs " + inputNames);
    }

    private static Set<String> ordered(Collection<String> names) {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(names));
    }

    /**
     * Runs the subgraph.
     *
     * @param inputs at least the values of {@link #inputNames()}
     * @return the values of {@link #outputNames()}
     */
    public Map<String, Tensor> forward(Map<String, Tensor> inputs) {
        return interpreter.run(graph, inputs);
    }

    /** Names of the values {@link #forward} returns. */
    public List<String> outputNames() {
        return graph.outputNames();
    }

    @Override
    public String toString() {
        return "Subgraph[modules=" + moduleNames + ", inputs=" + inputNames + ", consumed=" + consumedNames + ", outputs=" + outputNames()
                + ", nodes=" + graph.size() + "]";
    }

    /** This subgraph with other consumed names. */
    public Subgraph withConsumedNames(Collection<String> names) {
        return new Subgraph(graph, inputNames, new LinkedHashSet<>(names), moduleNames, interpreter);
    }

    /**
     * {@link #moduleNames()} and all their descendants in the interpreter's module tree: every module
     * whose forward runs inside this subgraph (what a modifier compresses at the end of its epoch).
     */
    public Set<String> modulesWithDescendants() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String path : moduleNames) {
            out.add(path);
            String prefix = path.isEmpty() ? "" : path + ".";
            for (String d : interpreter.root().submodule(path).descendantNames()) out.add(prefix + d);
        }
        return Collections.unmodifiableSequencedSet(out);
    }
}
