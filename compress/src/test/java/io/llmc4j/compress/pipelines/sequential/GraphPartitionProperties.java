package io.llmc4j.compress.pipelines.sequential;

import static io.llmc4j.compress.pipelines.sequential.SubgraphRuns.assertSameBits;
import static io.llmc4j.compress.pipelines.sequential.SubgraphRuns.runInOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.fx.Arg;
import io.llmc4j.engine.fx.CallFunction;
import io.llmc4j.engine.fx.CallModule;
import io.llmc4j.engine.fx.GetAttr;
import io.llmc4j.engine.fx.Graph;
import io.llmc4j.engine.fx.Interpreter;
import io.llmc4j.engine.fx.Node;
import io.llmc4j.engine.fx.Output;
import io.llmc4j.engine.fx.Placeholder;
import io.llmc4j.engine.fx.TensorMeta;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.OpCode;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TinyModels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random DAGs of adds, scales, module calls and parameter reads, with random target sets: the
 * partition is valid and running the subgraphs in order equals running the graph.
 */
class GraphPartitionProperties {
    private static final Ops OPS = new Ops(new ReferenceKernels());
    private static final int MODULES = 4;
    private static final TensorMeta ACT = new TensorMeta(DType.F32, Shape.of(2, 3));
    private static final TensorMeta VEC = new TensorMeta(DType.F32, Shape.of(3));

    /** (sum of inputs + bias) · 0.5; called with one to three inputs. */
    static final class Mix extends Module {
        Mix(Random random) {
            registerParameter("bias", TinyModels.random(random, 1, 3));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor acc = inputs[0];
            for (int i = 1; i < inputs.length; i++) acc = OPS.add(acc, inputs[i]);
            return OPS.scale(OPS.add(acc, parameter("bias")), 0.5f);
        }
    }

    static final class Root extends Module {
        Root(long seed) {
            Random random = new Random(seed);
            for (int i = 0; i < MODULES; i++) registerModule("m" + i, new Mix(random));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            throw new UnsupportedOperationException("only run through graphs");
        }
    }

    record Dag(Graph graph, Set<String> targets) {
    }

    static Dag randomDag(Random random, int size, double targetShare) {
        List<Node> nodes = new ArrayList<>();
        List<String> values = new ArrayList<>(), attrs = new ArrayList<>();
        Set<String> targets = new LinkedHashSet<>();
        int placeholders = 1 + random.nextInt(3);
        for (int i = 0; i < placeholders; i++) {
            nodes.add(new Placeholder("p" + i, ACT));
            values.add("p" + i);
        }
        for (int i = 0; i < size; i++) {
            String name = "n" + i;
            int kind = random.nextInt(10);
            if (kind < 2) {
                nodes.add(new GetAttr(name, "m" + random.nextInt(MODULES) + ".bias", VEC));
                attrs.add(name);
            } else if (kind < 4) {
                Arg second = !attrs.isEmpty() && random.nextBoolean() ? ref(pick(random, attrs)) : ref(pick(random, values));
                nodes.add(new CallFunction(name, OpCode.ADD, List.of(ref(pick(random, values)), second), ACT));
                values.add(name);
            } else if (kind < 5) {
                nodes.add(new CallFunction(name, OpCode.SCALE, List.of(ref(pick(random, values)), new Arg.Literal(1.5f)), ACT));
                values.add(name);
            } else {
                List<Arg> args = new ArrayList<>();
                for (int a = 1 + random.nextInt(3); a > 0; a--) args.add(ref(pick(random, values)));
                nodes.add(new CallModule(name, "m" + random.nextInt(MODULES), args, ACT));
                values.add(name);
                if (random.nextDouble() < targetShare) targets.add(name);
            }
        }
        Set<String> read = new HashSet<>();
        for (Node n : nodes) read.addAll(n.inputs());
        List<String> sinks = values.stream().filter(v -> !read.contains(v)).toList();
        nodes.add(new Output("output", sinks));
        return new Dag(new Graph(nodes), targets);
    }

    private static Arg ref(String name) {
        return new Arg.Ref(name);
    }

    private static String pick(Random random, List<String> names) {
        return names.get(random.nextInt(names.size()));
    }

    @Property(tries = 300)
    void partitionsAreValid(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int size,
                            @ForAll @IntRange(min = 1, max = 4) int perSubgraph, @ForAll @IntRange(min = 0, max = 100) int targetPercent) {
        Dag dag = randomDag(new Random(seed), size, targetPercent / 100.0);
        Graph g = dag.graph();
        String context = "seed " + seed + ", size " + size + ", " + perSubgraph + " per subgraph\n" + g.text();
        assertTrue(g.isWellFormed(), context);
        List<List<Node>> partitions = GraphPartitioner.topologicalPartition(g, dag.targets(), perSubgraph);

        Map<String, Integer> home = new HashMap<>();
        Set<String> union = new HashSet<>();
        for (int p = 0; p < partitions.size(); p++) {
            for (Node n : partitions.get(p)) {
                union.add(n.name());
                if (n instanceof GetAttr) continue;
                Integer before = home.put(n.name(), p);
                assertEquals(null, before, n.name() + " is in two partitions; " + context);
            }
        }
        assertEquals(g.nodes().stream().map(Node::name).collect(java.util.stream.Collectors.toSet()), union, "union; " + context);
        for (int p = 0; p < partitions.size(); p++) {
            Set<String> here = new HashSet<>();
            for (Node n : partitions.get(p)) here.add(n.name());
            for (Node n : partitions.get(p)) {
                for (String in : n.inputs()) {
                    if (g.node(in) instanceof GetAttr) assertTrue(here.contains(in), "parameter " + in + " read in " + p + " but not there; " + context);
                    else assertTrue(home.get(in) <= p, n.name() + " in " + p + " reads " + in + " from " + home.get(in) + "; " + context);
                }
            }
        }
        int targets = dag.targets().size();
        assertEquals(targets / perSubgraph + 1, partitions.size(), context);
        for (int p = 0; p < partitions.size() - 1; p++)
            assertEquals(perSubgraph, partitions.get(p).stream().filter(n -> dag.targets().contains(n.name())).count(), "partition " + p + "; " + context);

        Root root = new Root(seed);
        Interpreter interpreter = new Interpreter(root, OPS);
        List<Subgraph> subgraphs = GraphPartitioner.traceConsumedNames(GraphPartitioner.partitionGraph(g, partitions, interpreter));
        Set<String> consumedOnce = new HashSet<>();
        for (Subgraph s : subgraphs) {
            assertTrue(s.graph().isWellFormed(), s.graph().text());
            for (String c : s.consumedNames()) assertTrue(consumedOnce.add(c), c + " consumed twice; " + context);
        }
        Random data = new Random(seed ^ 0x5DEECE66DL);
        Map<String, Tensor> inputs = new HashMap<>();
        for (Placeholder p : g.placeholders()) inputs.put(p.name(), TinyModels.random(data, 1, 2, 3));
        Map<String, Tensor> full = interpreter.run(g, inputs);
        Map<String, Tensor> pieces = runInOrder(subgraphs, inputs);
        for (String out : g.outputNames()) assertSameBits(full.get(out), pieces.get(out), out + "; " + context);
    }
}
