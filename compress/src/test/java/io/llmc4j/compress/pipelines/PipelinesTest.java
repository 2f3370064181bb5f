package io.llmc4j.compress.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.pipelines.sequential.Subgraph;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipelinesTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());

    static final class Events implements CalibrationCallbacks {
        final List<String> seen = new ArrayList<>();

        @Override
        public void calibrationEpochStart() {
            seen.add("start");
        }

        @Override
        public void sequentialEpochEnd(Subgraph subgraph) {
            seen.add("epoch");
        }

        @Override
        public void calibrationEpochEnd() {
            seen.add("end");
        }
    }

    @Test
    void basicRunsEveryBatchOnceWithHooks() {
        var model = new TinyModels.SixLinears(OPS, 1, 4);
        List<Tensor> seen = new ArrayList<>();
        model.submodule("layer6").registerForwardHook((m, in, out) -> {
            seen.add(out);
            return null;
        });
        Random random = new Random(2);
        List<Map<String, Tensor>> batches = List.of(Map.of("x", TinyModels.random(random, 1, 1, 4)), Map.of("x", TinyModels.random(random, 1, 3, 4)));
        Events events = new Events();
        List<String> lines = new ArrayList<>();
        new BasicPipeline(lines::add).run(model, List.of("x"), batches, events);
        assertEquals(List.of("start", "end"), events.seen);
        assertEquals(2, seen.size());
        assertEquals(1, lines.size());
        assertTrue(lines.getFirst().startsWith("Calibrating: 2 batches in "), lines::toString);
    }

    @Test
    void dataFreeOnlySendsTheEvents() {
        Events events = new Events();
        new DataFreePipeline().run(new TinyModels.SixLinears(OPS, 1, 4), List.of("x"), List.of(), events);
        assertEquals(List.of("start", "end"), events.seen);
    }
}
