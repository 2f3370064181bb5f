package io.llmc4j.compress.pipelines.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmc4j.engine.io.InMemoryTensorSource;
import io.llmc4j.engine.io.safetensors.SafetensorsCheckpoint;
import io.llmc4j.engine.models.ModelConfig;
import io.llmc4j.engine.models.Models;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.CausalLM;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.SharedFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Running a real Llama's subgraphs in order equals its forward, bit for bit (issue: sequential pipeline). */
class LlamaSubgraphsTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());

    @ParameterizedTest(name = "stories260K, {0} targets per subgraph")
    @ValueSource(ints = {1, 2, 3})
    void stories260kSubgraphsEqualTheForward(int targetsPerSubgraph) throws Exception {
        Path dir = SharedFiles.require("models/stories260K-hf");
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(dir)) {
            CausalLM model = Models.build(ModelConfig.read(dir.resolve("config.json")), weights, OPS);
            long[] ids = {1, 403, 407, 261, 378, 429, 261, 1, 500, 2, 7, 8, 9, 300, 301, 302, 27};
            checkSubgraphs(model, ids, targetsPerSubgraph, 5);
        }
    }

    @ParameterizedTest(name = "synthetic qwen3, {0} targets per subgraph")
    @ValueSource(ints = {1, 2, 3})
    void syntheticSubgraphsEqualTheForward(int targetsPerSubgraph) {
        ModelConfig config = SyntheticModels.preset("tiny-qwen3");
        Map<String, Tensor> weights = SyntheticModels.generate(config, 7, DType.F32);
        CausalLM model = Models.build(config, new InMemoryTensorSource("synthetic tiny-qwen3", weights), OPS);
        checkSubgraphs(model, new long[] {1, 5, 9, 3, 2, 11, 4}, targetsPerSubgraph, config.numHiddenLayers());
    }

    private static void checkSubgraphs(CausalLM model, long[] ids, int perSubgraph, int layers) {
        Tensor inputIds = Tensor.ofLongs(ids, 1, ids.length);
        SequencedMap<String, Tensor> sample = new LinkedHashMap<>();
        sample.put("input_ids", inputIds);
        sample.put("attention_mask", null);
        List<Subgraph> subgraphs = SubgraphTracer.traceSubgraphs(model, OPS, sample, List.of(), List.of(), perSubgraph);
        // Each partition ends after its N-th target (LLM Compressor); leftover targets join the tail.
        int expectedSubgraphs = layers / perSubgraph + 1;
        assertEquals(expectedSubgraphs, subgraphs.size(), layers + " decoder layers in groups of " + perSubgraph);
        Map<String, Tensor> batch = new LinkedHashMap<>();
        batch.put("input_ids", inputIds);
        Map<String, Tensor> outputs = SubgraphRuns.runInOrder(subgraphs, batch);
        Tensor expected = model.call(inputIds, null);
        Tensor actual = outputs.values().iterator().next();
        SubgraphRuns.assertSameBits(expected, actual, "logits of " + perSubgraph + " targets per subgraph");
    }
}
