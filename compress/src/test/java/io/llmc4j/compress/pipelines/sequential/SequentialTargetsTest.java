package io.llmc4j.compress.pipelines.sequential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.compress.match.ModulePatterns;
import io.llmc4j.engine.nn.Module;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TinyModels;
import io.llmc4j.engine.testing.TinyModels.TinyConfig;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequentialTargetsTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());

    /** LLM Compressor's DummyModel: seq = (Linear, ReLU), fc = Linear. */
    static final class Dummy extends Module {
        Dummy() {
            Random random = new Random(1);
            TinyModels.ModuleList seq = registerModule("seq", new TinyModels.ModuleList());
            seq.add(new TinyModels.Linear(OPS, random, 10, 20, true));
            seq.add(new TinyModels.Container("ReLU"));
            registerModule("fc", new TinyModels.Linear(OPS, random, 20, 5, true));
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void ancestorsAsInLlmCompressorsTest() {
        Module model = new Dummy();
        assertEquals(Set.of(), SequentialTargets.sequentialAncestors(model, Set.of()));
        assertEquals(Set.of(), SequentialTargets.sequentialAncestors(model, Set.of("")));
        assertEquals(Set.of(""), SequentialTargets.sequentialAncestors(model, Set.of("fc")));
        assertEquals(Set.of("", "seq"), SequentialTargets.sequentialAncestors(model, Set.of("seq.0")));
        assertEquals(Set.of("", "seq"), SequentialTargets.sequentialAncestors(model, Set.of("seq.1")));
        assertEquals(Set.of(""), SequentialTargets.sequentialAncestors(model, Set.of("seq", "seq.0")), "nothing below a target counts");
    }

    @Test
    void infersDecoderLayersThenListChildren() {
        Module lm = new TinyModels.TinyLM(OPS, 1, new TinyConfig(7, 8, 2, 1, 12, 3));
        assertEquals(List.of("TinyDecoderLayer"), SequentialTargets.infer(lm));
        assertEquals(List.of("Linear"), SequentialTargets.infer(new Dummy()), "children of the only list");
        assertEquals(List.of(), SequentialTargets.infer(new TinyModels.SixLinears(OPS, 1, 3)));
    }

    @Test
    void resolveNamesUnmatchedPatternsAndTheModelTypes() {
        Module model = new Dummy();
        assertEquals(Set.of("seq.0", "fc"), SequentialTargets.resolve(model, List.of("Linear")));
        var e = assertThrows(IllegalArgumentException.class, () -> SequentialTargets.resolve(model, List.of("LlamaDecoderLayer")));
        assertEquals("sequential targets [LlamaDecoderLayer] match no module of Dummy; its module types are [Dummy, Linear, ModuleList, ReLU]",
                e.getMessage());
    }

    @Test
    void leavesAreTargetsNonAncestorsAndIgnored() {
        Module model = new TinyModels.TinyLM(OPS, 1, new TinyConfig(7, 8, 2, 1, 12, 2));
        Set<String> targets = SequentialTargets.resolve(model, List.of("TinyDecoderLayer"));
        Set<String> ancestors = SequentialTargets.sequentialAncestors(model, targets);
        assertEquals(Set.of("", "model", "model.layers"), ancestors);
        var leaf = SequentialTargets.leafPredicate(targets, ancestors, ModulePatterns.of("re:model$"));
        assertTrue(leaf.test("model.layers.0", model.submodule("model.layers.0")));
        assertTrue(leaf.test("model.embed_tokens", model.submodule("model.embed_tokens")));
        assertTrue(leaf.test("model", model.submodule("model")), "ignored");
        assertFalse(leaf.test("model.layers", model.submodule("model.layers")));
        assertFalse(leaf.test("", model));
    }
}
