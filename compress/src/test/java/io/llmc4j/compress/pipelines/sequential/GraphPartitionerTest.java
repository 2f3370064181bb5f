package io.llmc4j.compress.pipelines.sequential;

import static io.llmc4j.compress.pipelines.sequential.SubgraphRuns.assertSameBits;
import static io.llmc4j.compress.pipelines.sequential.SubgraphRuns.runInOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.fx.Arg;
import io.llmc4j.engine.fx.CallFunction;
import io.llmc4j.engine.fx.CallModule;
import io.llmc4j.engine.fx.GetAttr;
import io.llmc4j.engine.fx.Graph;
import io.llmc4j.engine.fx.Interpreter;
import io.llmc4j.engine.fx.Output;
import io.llmc4j.engine.fx.Placeholder;
import io.llmc4j.engine.fx.TensorMeta;
import io.llmc4j.engine.ops.OpCode;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Shape;
import io.llmc4j.engine.fx.Node;
import io.llmc4j.engine.fx.Tracer;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TinyModels;
import io.llmc4j.engine.testing.TinyModels.TinyConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GraphPartitionerTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());
    private static final TinyConfig CONFIG = new TinyConfig(13, 16, 4, 2, 20, 5);

    private static Graph sixLinearGraph(TinyModels.SixLinears model) {
        var inputs = new LinkedHashMap<String, Tensor>();
        inputs.put("x", TinyModels.random(new Random(1), 1, 2, 4));
        return new Tracer((path, m) -> m.typeName().equals("Linear")).trace(model, inputs);
    }

    @Test
    void sixLinearsGiveSevenPartitions() {
        Graph g = sixLinearGraph(new TinyModels.SixLinears(OPS, 2, 4));
        Set<String> targets = GraphPartitioner.findTargetNodes(g, Set.of("layer1", "layer2", "layer3", "layer4", "layer5", "layer6"));
        List<List<Node>> partitions = GraphPartitioner.topologicalPartition(g, targets, 1);
        assertEquals(7, partitions.size());
        assertEquals(List.of("x", "layer1"), names(partitions.get(0)));
        assertEquals(List.of("layer6"), names(partitions.get(5)));
        assertEquals(List.of("output"), names(partitions.get(6)));
        assertEquals(4, GraphPartitioner.topologicalPartition(g, targets, 2).size());
        assertEquals(3, GraphPartitioner.topologicalPartition(g, targets, 3).size());
        assertEquals(2, GraphPartitioner.topologicalPartition(g, targets, 4).size());
        var e = assertThrows(IllegalArgumentException.class, () -> GraphPartitioner.topologicalPartition(g, targets, 0));
        assertEquals("targets per subgraph must be at least 1, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GraphPartitioner.topologicalPartition(g, Set.of("x"), 1));
    }

    @Test
    void sixLinearSubgraphsPassOneValueAlong() {
        var model = new TinyModels.SixLinears(OPS, 2, 4);
        Graph g = sixLinearGraph(model);
        var subgraphs = SubgraphTracer.traceSubgraphs(model, OPS, new LinkedHashMap<>(Map.of("x", TinyModels.random(new Random(1), 1, 2, 4))),
                List.of("Linear"), List.of(), 1);
        assertEquals(7, subgraphs.size());
        assertEquals(Set.of("x"), subgraphs.get(0).inputNames());
        assertEquals(List.of("layer1"), subgraphs.get(0).outputNames());
        assertEquals(Set.of("layer3"), subgraphs.get(3).inputNames());
        assertEquals(Set.of("layer3"), subgraphs.get(3).consumedNames());
        assertEquals(Set.of("layer4"), subgraphs.get(3).moduleNames());
        assertEquals(List.of("layer6"), subgraphs.get(6).outputNames(), "the tail returns the model output");
        assertEquals("""
                %layer3 = placeholder : F32[2, 4]
                %layer4 = call_module[layer4](%layer3) : F32[2, 4]
                return (%layer4)
                """, subgraphs.get(3).graph().text());
        Tensor x = TinyModels.random(new Random(5), 1, 2, 4);
        assertSameBits(model.call(x), runInOrder(subgraphs, Map.of("x", x)).get("layer6"), "six linears");
        assertTrue(g.isWellFormed());
    }

    @ParameterizedTest(name = "{0} targets per subgraph")
    @ValueSource(ints = {1, 2, 3})
    void tinyTransformerSubgraphsEqualTheModelBitForBit(int perSubgraph) {
        var model = new TinyModels.TinyLM(OPS, 17, CONFIG);
        Random random = new Random(18);
        Tensor ids = TinyModels.tokens(random, CONFIG.vocab(), 2, 6), mask = TinyModels.mask(2, 6, 2);
        var inputs = new LinkedHashMap<String, Tensor>();
        inputs.put("input_ids", ids);
        inputs.put("attention_mask", mask);
        List<Subgraph> subgraphs = SubgraphTracer.traceSubgraphs(model, OPS, inputs, List.of(), List.of(), perSubgraph);
        assertEquals(CONFIG.layers() / perSubgraph + 1, subgraphs.size());
        for (int i = 0; i < subgraphs.size() - 1; i++)
            assertEquals(perSubgraph, subgraphs.get(i).moduleNames().stream().filter(n -> n.startsWith("model.layers.")).count(), "subgraph " + i);
        assertTrue(subgraphs.getFirst().moduleNames().containsAll(List.of("model.embed_tokens", "model.rotary_emb")));
        assertTrue(subgraphs.getLast().moduleNames().containsAll(List.of("model.norm", "lm_head")));
        assertTrue(subgraphs.getFirst().graph().text().contains("get_attr[model.embed_scale]"));
        assertSameBits(model.call(ids, mask), runInOrder(subgraphs, inputs).get("lm_head"), "per subgraph " + perSubgraph);
        for (Subgraph s : subgraphs) assertTrue(s.graph().isWellFormed(), s.graph()::text);
    }

    @Test
    void getAttrIsCopiedIntoEveryPartitionThatReadsIt() {
        var model = new TinyModels.SixLinears(OPS, 2, 4);
        TensorMeta act = new TensorMeta(DType.F32, Shape.of(2, 4)), vec = new TensorMeta(DType.F32, Shape.of(4));
        Graph g = new Graph(List.of(
                new Placeholder("x", act),
                new GetAttr("bias", "layer1.bias", vec),
                new CallFunction("a1", OpCode.ADD, List.of(new Arg.Ref("x"), new Arg.Ref("bias")), act),
                new CallModule("t1", "layer1", List.of(new Arg.Ref("a1")), act),
                new CallFunction("a2", OpCode.ADD, List.of(new Arg.Ref("t1"), new Arg.Ref("bias")), act),
                new CallModule("t2", "layer2", List.of(new Arg.Ref("a2")), act),
                new Output("output", List.of("t2"))));
        var partitions = GraphPartitioner.topologicalPartition(g, Set.of("t1", "t2"), 1);
        assertEquals(List.of(List.of("bias", "x", "a1", "t1"), List.of("bias", "a2", "t2"), List.of("output")),
                partitions.stream().map(GraphPartitionerTest::names).toList());
        var subgraphs = GraphPartitioner.traceConsumedNames(GraphPartitioner.partitionGraph(g, partitions, new Interpreter(model, OPS)));
        assertEquals(Set.of("t1"), subgraphs.get(1).inputNames(), "the parameter is read again, not passed along");
        Tensor x = TinyModels.random(new Random(3), 1, 2, 4);
        assertSameBits(new Interpreter(model, OPS).run(g, Map.of("x", x)).get("t2"), runInOrder(subgraphs, Map.of("x", x)).get("t2"), "get_attr copies");
    }

    @Test
    void modulesWithDescendantsListEverythingThatRuns() {
        var model = new TinyModels.TinyLM(OPS, 17, new TinyConfig(13, 16, 4, 2, 20, 2));
        var inputs = new LinkedHashMap<String, Tensor>();
        inputs.put("input_ids", TinyModels.tokens(new Random(1), 13, 1, 3));
        List<Subgraph> subgraphs = SubgraphTracer.traceSubgraphs(model, OPS, inputs, List.of("TinyDecoderLayer"), List.of(), 1);
        Set<String> second = subgraphs.get(1).modulesWithDescendants();
        assertTrue(second.contains("model.layers.1.self_attn.q_proj"), second::toString);
        assertTrue(second.contains("model.layers.1.mlp"), second::toString);
        assertEquals(12, second.size(), second::toString);
    }

    private static List<String> names(List<Node> nodes) {
        return nodes.stream().map(Node::name).toList();
    }
}
