package io.llmc4j.compress.pipelines.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.nn.DecoderLayer;
import io.llmc4j.engine.ops.KernelsFactory;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.Zoo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported zoo architecture traces and partitions into one subgraph per decoder layer (plus
 * the head), with the inferred sequential target, and running the subgraphs in order equals the
 * model's forward bit for bit.
 */
class ZooSubgraphsTest {
    private static final Ops OPS = new Ops(KernelsFactory.createDefault());

    static List<String> supported() {
        return Zoo.SUPPORTED;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void subgraphsPerDecoderLayerEqualTheForward(String architecture) throws Exception {
        Path dir = Zoo.require(architecture);
        long[][] rows = Zoo.tokens(dir);
        long[] ids = new long[2 * rows[0].length];
        System.arraycopy(rows[0], 0, ids, 0, rows[0].length);
        System.arraycopy(rows[1], 0, ids, rows[0].length, rows[0].length);
        Tensor inputIds = Tensor.ofLongs(ids, 2, rows[0].length);
        try (LoadedModel loaded = LoadedModel.open(dir, OPS)) {
            int layers = loaded.config().numHiddenLayers();
            assertEquals(List.of(loaded.model().model().layers().get(0).typeName()), SequentialTargets.infer(loaded.model()));
            assertTrue(loaded.model().model().layers().get(0) instanceof DecoderLayer);
            SequencedMap<String, Tensor> sample = new LinkedHashMap<>();
            sample.put("input_ids", inputIds);
            sample.put("attention_mask", null);
            List<Subgraph> subgraphs = SubgraphTracer.traceSubgraphs(loaded.model(), OPS, sample, List.of(), List.of(), 1);
            assertEquals(layers + 1, subgraphs.size(), architecture + ": one subgraph per decoder layer plus the head");
            for (int i = 0; i < layers; i++) {
                String layer = "model.layers." + i;
                long holding = subgraphs.stream().filter(s -> s.moduleNames().contains(layer)).count();
                assertEquals(1, holding, layer + " is in exactly one subgraph");
            }
            Map<String, Tensor> batch = new LinkedHashMap<>();
            batch.put("input_ids", inputIds);
            Tensor actual = SubgraphRuns.runInOrder(subgraphs, batch).values().iterator().next();
            SubgraphRuns.assertSameBits(loaded.model().call(inputIds, null), actual, architecture + " subgraphs in order");
        }
    }
}
