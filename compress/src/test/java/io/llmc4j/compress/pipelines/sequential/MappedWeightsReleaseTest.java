package io.llmc4j.compress.pipelines.sequential;

import static io.llmc4j.compress.pipelines.sequential.SubgraphRuns.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.pipelines.CalibrationCallbacks;
import io.llmc4j.compress.pipelines.IntermediatesCache;
import io.llmc4j.compress.pipelines.IntermediatesCache.Offload;
import io.llmc4j.engine.models.LoadedModel;
import io.llmc4j.engine.models.SyntheticCheckpoint;
import io.llmc4j.engine.models.SyntheticModels;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subgraph-finished step of {@link SequentialPipeline}: mapped weights released, results unchanged. */
class MappedWeightsReleaseTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());
    private static final List<String> ARGUMENTS = List.of("input_ids");
    private static final long SEED = 20250611L;

    @TempDir
    Path temp;

    private static List<Map<String, Tensor>> batches(long seed, int vocab, int count, int length) {
        Random random = new Random(seed);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long[] ids = new long[length];
            for (int t = 0; t < length; t++) ids[t] = random.nextInt(vocab);
            Map<String, Tensor> batch = new HashMap<>();
            batch.put("input_ids", Tensor.ofLongs(ids, 1, length));
            out.add(batch);
        }
        return out;
    }

    /** Runs the pipeline over a freshly opened mapped checkpoint; returns the logits and the finished events. */
    private List<Tensor> run(Path checkpoint, boolean release, List<SubgraphListener.Finished> finished, Map<Integer, Long> mappedPerSubgraph) {
        try (LoadedModel loaded = LoadedModel.open(checkpoint, OPS)) {
            Module model = loaded.model();
            List<Tensor> logits = new ArrayList<>();
            model.submodule("lm_head").registerForwardHook((m, in, out) -> {
                logits.add(out.copy());
                return null;
            });
            var options = new SequentialPipeline.Options(List.of(), List.of(), 1, new IntermediatesCache.Options(Offload.DISK, temp, true))
                    .withReleaseMappedWeights(release);
            SubgraphListener listener = f -> {
                finished.add(f);
                mappedPerSubgraph.put(f.index(), MappedWeights.mappedBytes(model, f.subgraph().modulesWithDescendants()));
            };
            new SequentialPipeline(OPS, options, line -> { }, listener)
                    .run(model, ARGUMENTS, batches(SEED, loaded.config().vocabSize(), 3, 7), CalibrationCallbacks.none());
            return logits;
        }
    }

    @Test
    void releasingMappedWeightsAfterEachSubgraphLeavesTheResultsBitIdentical() {
        Path checkpoint = SyntheticCheckpoint.write(temp.resolve("tiny"), SyntheticModels.TINY, SEED, DType.BF16, 20_000);
        List<SubgraphListener.Finished> released = new ArrayList<>();
        Map<Integer, Long> mapped = new HashMap<>();
        List<Tensor> withRelease = run(checkpoint, true, released, mapped);
        List<SubgraphListener.Finished> kept = new ArrayList<>();
        List<Tensor> withoutRelease = run(checkpoint, false, kept, new HashMap<>());

        assertEquals(3, withRelease.size(), "lm_head runs once per batch");
        for (int b = 0; b < withRelease.size(); b++) assertSameBits(withoutRelease.get(b), withRelease.get(b), "batch " + b + " (seed " + SEED + ")");

        int subgraphs = released.getFirst().count();
        assertEquals(subgraphs, released.size(), "one finished event per subgraph");
        long total = 0;
        for (int i = 0; i < subgraphs; i++) {
            SubgraphListener.Finished f = released.get(i);
            assertEquals(i, f.index());
            assertTrue(f.releasedBytes() > 0, "subgraph " + i + " " + f.subgraph().moduleNames() + " has mapped weights to release");
            assertEquals(mapped.get(i), f.releasedBytes(), "subgraph " + i + " releases exactly its modules' mapped bytes");
            assertEquals(0, f.propagateNanos(), "no weight changed: no subgraph runs a propagation pass");
            assertEquals(0, kept.get(i).releasedBytes(), "releasing off: nothing released");
            total += f.releasedBytes();
        }
        // every layer's weights are released once; tied or not, embed_tokens and lm_head count in their subgraphs
        assertTrue(total >= 2L * SyntheticModels.preset(SyntheticModels.TINY).hiddenSize(), "released " + total + " bytes in all");
    }

    @Test
    void heapWeightsAreNotMappedAndAreLeftAlone() {
        var model = new io.llmc4j.engine.testing.TinyModels.TinyLM(OPS, 5, new io.llmc4j.engine.testing.TinyModels.TinyConfig(13, 16, 4, 2, 20, 2));
        assertFalse(model.namedParameters().values().stream().anyMatch(MappedWeights::isMapped));
        assertEquals(0, MappedWeights.release(model, model.namedModules().keySet()));
    }
}
