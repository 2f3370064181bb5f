package io.llmc4j.compress.cli;

import io.llmc4j.compress.pipelines.sequential.Subgraph;
import io.llmc4j.compress.pipelines.sequential.SubgraphTracer;
import io.llmc4j.engine.fx.Graph;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code llmc trace}: the traced graph of a model and its partition into the sequential pipeline's subgraphs. */
@Command(name = "trace", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trace a model's forward into a graph (one node per line) and show how the sequential pipeline "
                + "partitions it into subgraphs: modules, inputs and the names each subgraph consumes. "
                + "Use it to debug models that cannot be traced (mark the module named in the error with --ignore)."})
final class TraceCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", defaultValue = DefaultResources.DEFAULT, description = "Model directory or 'default' (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--tokens", paramLabel = "T", converter = OptionValues.Positive.class, defaultValue = "8", description = "Tokens of the sample input the trace is made with (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--sequential-targets", paramLabel = "PATTERN", split = ",", description = "Where to cut (default: inferred, e.g. LlamaDecoderLayer).")
    List<String> sequentialTargets;

    @Option(names = "--ignore", paramLabel = "PATTERN", split = ",", description = "Modules traced as single nodes whatever they contain.")
    List<String> ignore;

    @Option(names = "--targets-per-subgraph", paramLabel = "N", converter = OptionValues.Positive.class, defaultValue = "1", description = "Targets per subgraph (default: ${DEFAULT-VALUE}).")
    int targetsPerSubgraph;

    @Option(names = "--graph", description = "Print the whole graph, one node per line, before the partition.")
    boolean printGraph;

    @Mixin
    KernelOptions kernels;

    @ParentCommand
    Llmc root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Ops ops = kernels.ops();
        DefaultResources defaults = new DefaultResources(root.environment(), spec.commandLine().getErr());
        try (LoadedModel loaded = LoadedModel.open(defaults.model(model), ops)) {
            SequencedMap<String, Tensor> sample = new LinkedHashMap<>();
            sample.put("input_ids", Tensor.ofLongs(new long[tokens], 1, tokens));
            sample.put("attention_mask", null);
            SubgraphTracer tracer = new SubgraphTracer(loaded.model(), ops, sequentialTargets, ignore == null ? List.of() : ignore, targetsPerSubgraph);
            out.println("sequential targets: " + tracer.targets());
            if (printGraph) {
                Graph graph = tracer.traceGraph(sample);
                out.println(graph.text());
            }
            List<Subgraph> subgraphs = tracer.trace(sample);
            for (int i = 0; i < subgraphs.size(); i++) {
                Subgraph s = subgraphs.get(i);
                out.printf("subgraph %d/%d: %d nodes%n  modules:  %s%n  inputs:   %s%n  outputs:  %s%n  consumes: %s%n", i + 1, subgraphs.size(),
                        s.graph().nodes().size(), s.moduleNames(), s.inputNames(), s.outputNames(), s.consumedNames());
            }
        }
        return 0;
    }
}
