package io.llmc4j.compress.pipelines.sequential;

import static io.llmc4j.compress.pipelines.sequential.SubgraphRuns.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.pipelines.CalibrationCallbacks;
import io.llmc4j.compress.pipelines.IntermediatesCache;
import io.llmc4j.compress.pipelines.IntermediatesCache.Offload;
import io.llmc4j.compress.pipelines.ModelInputs;
import io.llmc4j.compress.pipelines.PipelineException;
import io.llmc4j.engine.fx.TraceException;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TinyModels;
import io.llmc4j.engine.testing.TinyModels.TinyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SequentialPipelineTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());
    private static final TinyConfig CONFIG = new TinyConfig(13, 16, 4, 2, 20, 4);
    private static final List<String> ARGUMENTS = List.of("input_ids", "attention_mask");

    @TempDir
    Path temp;

    static List<Map<String, Tensor>> batches(long seed, int... lengths) {
        Random random = new Random(seed);
        List<Map<String, Tensor>> out = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            Map<String, Tensor> batch = new HashMap<>();
            batch.put("input_ids", TinyModels.tokens(random, CONFIG.vocab(), 2, lengths[i]));
            batch.put("attention_mask", TinyModels.mask(2, lengths[i], i % 2));
            out.add(batch);
        }
        return out;
    }

    /** Records every event; runs an optional action at each sequential epoch end. */
    static class Recorder implements CalibrationCallbacks {
        final List<String> events = new ArrayList<>();
        final Consumer<Subgraph> atEpochEnd;

        Recorder(Consumer<Subgraph> atEpochEnd) {
            this.atEpochEnd = atEpochEnd;
        }

        @Override
        public void calibrationEpochStart() {
            events.add("start");
        }

        @Override
        public void sequentialEpochEnd(Subgraph subgraph) {
            events.add("epoch " + subgraph.moduleNames());
            atEpochEnd.accept(subgraph);
        }

        @Override
        public void calibrationEpochEnd() {
            events.add("end");
        }
    }

    private SequentialPipeline pipeline(int perSubgraph, Offload offload, List<String> lines) {
        var options = new SequentialPipeline.Options(List.of(), List.of(), perSubgraph, new IntermediatesCache.Options(offload, temp, true));
        return new SequentialPipeline(OPS, options, lines::add);
    }

    private static List<Tensor> captureOutputs(Module module) {
        List<Tensor> seen = new ArrayList<>();
        module.registerForwardHook((m, in, out) -> {
            seen.add(out);
            return null;
        });
        return seen;
    }

    @ParameterizedTest(name = "{0} per subgraph, {1}")
    @CsvSource({"1, NONE", "2, OFF_HEAP", "3, DISK", "1, DISK"})
    void theLastSubgraphSeesExactlyTheModelOutput(int perSubgraph, Offload offload) {
        var model = new TinyModels.TinyLM(OPS, 5, CONFIG);
        var batches = batches(6, 5, 5, 5);
        List<Tensor> expected = new ArrayList<>();
        for (var b : batches) expected.add(model.call(ModelInputs.arguments(b, ARGUMENTS)));
        List<Tensor> logits = captureOutputs(model.submodule("lm_head"));
        List<String> lines = new ArrayList<>();
        var recorder = new Recorder(s -> { });
        pipeline(perSubgraph, offload, lines).run(model, ARGUMENTS, batches, recorder);
        assertEquals(batches.size(), logits.size(), "lm_head runs in pass 1 of the last subgraph only");
        for (int b = 0; b < batches.size(); b++) assertSameBits(expected.get(b), logits.get(b), "batch " + b);
        int subgraphs = CONFIG.layers() / perSubgraph + 1;
        assertEquals(subgraphs + 2, recorder.events.size(), recorder.events::toString);
        assertEquals("start", recorder.events.getFirst());
        assertEquals("end", recorder.events.getLast());
        assertEquals(2 * subgraphs - 1 + 1, lines.size(), lines::toString);
        assertTrue(lines.get(1).matches("\\(1/" + subgraphs + "\\): Calibrating 3 batches in \\d+\\.\\d\\d s \\(\\d+\\.\\d\\d batches/s\\)"), lines::toString);
        assertEquals("(1/" + subgraphs + "): Propagating: the calibration pass's outputs (no weights changed)", lines.get(2), lines::toString);
        assertTrue(lines.getLast().startsWith("(" + subgraphs + "/" + subgraphs + "): Calibrating"), lines::toString);
    }

    @Test
    void batchesOfDifferentLengthsRunTheirOwnTrace() {
        var model = new TinyModels.TinyLM(OPS, 5, CONFIG);
        var batches = batches(7, 3, 6, 3, 4);
        batches.get(3).remove("attention_mask");
        List<Tensor> expected = new ArrayList<>();
        for (var b : batches) expected.add(model.call(ModelInputs.arguments(b, ARGUMENTS)));
        List<Tensor> logits = captureOutputs(model.submodule("lm_head"));
        List<String> lines = new ArrayList<>();
        pipeline(2, Offload.NONE, lines).run(model, ARGUMENTS, batches, CalibrationCallbacks.none());
        assertEquals("Traced TinyLM into 3 subgraphs (4 target modules, 3 input shapes)", lines.getFirst());
        for (int b = 0; b < batches.size(); b++) assertSameBits(expected.get(b), logits.get(b), "batch " + b);
    }

    @Test
    void hooksFireInPassOneOnly() {
        var model = new TinyModels.TinyLM(OPS, 5, CONFIG);
        int[] layerCalls = new int[1], projCalls = new int[1];
        model.submodule("model.layers.1").registerForwardHook((m, in, out) -> {
            layerCalls[0]++;
            return null;
        });
        model.submodule("model.layers.2.self_attn.q_proj").registerForwardPreHook((m, in) -> {
            projCalls[0]++;
            return null;
        });
        var batches = batches(8, 4, 4, 4, 4, 4);
        pipeline(1, Offload.NONE, new ArrayList<>()).run(model, ARGUMENTS, batches, CalibrationCallbacks.none());
        assertEquals(batches.size(), layerCalls[0]);
        assertEquals(batches.size(), projCalls[0]);
    }

    @Test
    void aWeightChangedAtEpochEndReachesTheNextSubgraph() {
        var model = new TinyModels.TinyLM(OPS, 5, CONFIG);
        var batches = batches(9, 5, 5);
        Module down = model.submodule("model.layers.1.mlp.down_proj");
        List<Tensor> before = new ArrayList<>();
        var probe = model.submodule("model.layers.2").registerForwardPreHook((m, in) -> {
            before.add(in[0]);
            return null;
        });
        for (var b : batches) model.call(ModelInputs.arguments(b, ARGUMENTS));
        probe.remove();

        List<Tensor> seenInPipeline = new ArrayList<>();
        model.submodule("model.layers.2").registerForwardPreHook((m, in) -> {
            seenInPipeline.add(in[0].copy());   // cached inputs are freed once consumed
            return null;
        });
        var recorder = new Recorder(s -> {
            if (s.moduleNames().contains("model.layers.1")) down.setParameter("weight", OPS.scale(down.parameter("weight"), 3f));
        });
        pipeline(1, Offload.OFF_HEAP, new ArrayList<>()).run(model, ARGUMENTS, batches, recorder);

        List<Tensor> after = new ArrayList<>();
        model.submodule("model.layers.2").registerForwardPreHook((m, in) -> {
            after.add(in[0]);
            return null;
        });
        for (var b : batches) model.call(ModelInputs.arguments(b, ARGUMENTS));
        for (int b = 0; b < batches.size(); b++) {
            assertSameBits(after.get(b), seenInPipeline.get(b), "layer 2 input, batch " + b);
            assertFalse(before.get(b).getFloat(0, 0, 0) == seenInPipeline.get(b).getFloat(0, 0, 0), "the change is visible");
        }
    }

    @Test
    void theCacheHoldsExactlyWhatLaterSubgraphsRead() {
        var model = new TinyModels.TinyLM(OPS, 5, CONFIG);
        captureOutputs(model.submodule("lm_head"));   // a hook in the last subgraph: every subgraph runs
        var batches = batches(10, 4, 4);
        var tracer = new SubgraphTracer(model, OPS, List.of(), List.of(), 1);
        var subgraphs = TracedSubgraphs.trace(tracer, ARGUMENTS, batches);
        try (var cache = IntermediatesCache.fromBatches(ModelInputs.selected(batches, ARGUMENTS), IntermediatesCache.Options.inMemory())) {
            List<Subgraph> order = subgraphs.first();
            var recorder = new Recorder(s -> {
                int i = order.indexOf(s);
                for (int b = 0; b < batches.size(); b++) {
                    Set<String> expected = new HashSet<>(i == 0 ? batches.get(b).keySet() : SubgraphRuns.expectedCache(order, batches.get(b).keySet(), i - 1));
                    if (i < order.size() - 1) expected.addAll(s.outputNames());   // pass 1 stored its outputs
                    assertEquals(expected, cache.names(b), "at the epoch end of subgraph " + i);
                }
            });
            new SequentialPipeline(OPS, SequentialPipeline.Options.defaults(), line -> { }).calibrate(subgraphs, cache, recorder);
            assertEquals(subgraphs.size(), recorder.events.size());
        }
    }

    @Test
    void subgraphsThatNoHookNeedsDoNotRunButHearTheirEpochEnd() {
        var model = new TinyModels.TinyLM(OPS, 5, CONFIG);
        int[] layer1 = new int[1], layer3 = new int[1], head = new int[1];
        model.submodule("model.layers.1.mlp.up_proj").registerForwardPreHook((m, in) -> {
            layer1[0]++;
            return null;
        });
        model.submodule("model.layers.3").setForwardWrapper((m, in, forward) -> {
            if (!in[0].isSymbolic()) layer3[0]++;   // not counting the trace
            return forward.apply(in);
        });
        model.submodule("lm_head").setForwardWrapper((m, in, forward) -> {
            if (!in[0].isSymbolic()) head[0]++;
            return forward.apply(in);
        });
        List<String> lines = new ArrayList<>();
        var recorder = new Recorder(s -> { });
        var batches = batches(12, 4, 4, 4);
        pipeline(1, Offload.NONE, lines).run(model, ARGUMENTS, batches, recorder);
        assertEquals(batches.size(), layer1[0], "the hooked subgraph runs once per batch");
        assertEquals(0, layer3[0], "a later subgraph without hooks does not run");
        assertEquals(0, head[0], "lm_head (no hooks) is not computed");
        assertEquals(7, recorder.events.size(), "start, five epoch ends, end: " + recorder.events);
        assertEquals(List.of("(3/5): Skipped (no hooks in this or a later subgraph: nothing reads its outputs)",
                "(4/5): Skipped (no hooks in this or a later subgraph: nothing reads its outputs)",
                "(5/5): Skipped (no hooks in this or a later subgraph: nothing reads its outputs)"), lines.subList(lines.size() - 3, lines.size()));
    }

    @Test
    void hooksThatAlterOutputsMakeThePipelinePropagateWithHooksOff() {
        var model = new TinyModels.TinyLM(OPS, 5, CONFIG);
        var batches = batches(13, 5, 5);
        List<Tensor> expected = new ArrayList<>();
        for (var b : batches) expected.add(model.call(ModelInputs.arguments(b, ARGUMENTS)));
        model.submodule("model.layers.0.mlp").registerForwardHook((m, in, out) -> OPS.scale(out, 2f));   // only in pass 1
        List<Tensor> logits = captureOutputs(model.submodule("lm_head"));
        List<String> lines = new ArrayList<>();
        var altering = new Recorder(s -> { }) {
            @Override
            public boolean hooksAlterOutputs() {
                return true;
            }
        };
        pipeline(1, Offload.NONE, lines).run(model, ARGUMENTS, batches, altering);
        assertTrue(lines.get(2).startsWith("(1/5): Propagating 2 batches in "), lines::toString);
        for (int b = 0; b < batches.size(); b++) assertSameBits(expected.get(b), logits.get(b), "batch " + b + ": pass 2 ran without the hook");
    }

    @Test
    void aModelThatBranchesOnValuesFailsToTraceUnlessIgnored() {
        var model = new TinyModels.BranchyModel(OPS, 3, 6);
        List<Map<String, Tensor>> batches = List.of(Map.of("x", TinyModels.random(new Random(1), 1, 2, 6)));
        var strict = new SequentialPipeline(OPS, new SequentialPipeline.Options(List.of("Linear"), List.of(), 1, IntermediatesCache.Options.inMemory()), l -> { });
        var e = assertThrows(TraceException.class, () -> strict.run(model, List.of("x"), batches, CalibrationCallbacks.none()));
        assertEquals("body", e.modulePath());
        var lenient = new SequentialPipeline(OPS, new SequentialPipeline.Options(List.of("Linear"), List.of("body"), 1, IntermediatesCache.Options.inMemory()), l -> { });
        var recorder = new Recorder(s -> { });
        lenient.run(model, List.of("x"), batches, recorder);
        assertEquals(List.of("start", "epoch [body, head]", "epoch []", "end"), recorder.events);
    }

    @Test
    void withoutTargetsTheWholeModelIsOneSubgraph() {
        var model = new TinyModels.SixLinears(OPS, 2, 4);
        List<Tensor> seen = captureOutputs(model.submodule("layer6"));
        List<String> lines = new ArrayList<>();
        var recorder = new Recorder(s -> assertEquals(java.util.Set.of(""), s.moduleNames()));
        Tensor x = TinyModels.random(new Random(3), 1, 2, 4);
        new SequentialPipeline(OPS, SequentialPipeline.Options.defaults(), lines::add).run(model, List.of("x"), List.of(Map.of("x", x)), recorder);
        assertEquals("No sequential targets found in SixLinears; the whole model runs as one subgraph", lines.getFirst());
        assertEquals(List.of("start", "epoch []", "end"), recorder.events);
        assertEquals(1, seen.size());
        assertSameBits(model.call(x), seen.getFirst(), "one subgraph");
    }

    @Test
    void aFailingRunRemovesItsDiskFiles() throws IOException {
        var model = new TinyModels.TinyLM(OPS, 5, CONFIG);
        model.submodule("model.layers.2").registerForwardHook((m, in, out) -> {
            throw new IllegalStateException("observer exploded");
        });
        var e = assertThrows(PipelineException.class,
                () -> pipeline(1, Offload.DISK, new ArrayList<>()).run(model, ARGUMENTS, batches(11, 4, 4), CalibrationCallbacks.none()));
        assertTrue(e.getMessage().startsWith("subgraph (3/5) calling [model.layers.2] failed on batch 0: running %model_layers_2"), e.getMessage());
        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
