package io.llmc4j.engine.fx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.OpCode;
import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import io.llmc4j.engine.testing.TinyModels;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Inferred metadata equals the metadata of the real op's result, for every op code. */
class ShapeInferenceTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());

    record Case(String label, OpCode op, Object[] args) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Case> cases() {
        Random r = new Random(7);
        List<Case> cases = new ArrayList<>();
        for (int n : new int[] {1, 3, 7, 31, 33}) {
            Tensor x = TinyModels.random(r, 1, 2, 3, n);
            Tensor w = TinyModels.random(r, 1, 5, n);
            cases.add(new Case("linear " + n, OpCode.LINEAR, new Object[] {x, w, TinyModels.random(r, 1, 5)}));
            cases.add(new Case("linear no bias " + n, OpCode.LINEAR, new Object[] {x, w, null}));
            cases.add(new Case("matmul " + n, OpCode.MATMUL, new Object[] {TinyModels.random(r, 1, 3, n), TinyModels.random(r, 1, n, 4)}));
            cases.add(new Case("rms_norm " + n, OpCode.RMS_NORM, new Object[] {x, TinyModels.random(r, 1, n), 1e-5f}));
            cases.add(new Case("add " + n, OpCode.ADD, new Object[] {x, TinyModels.random(r, 1, 3, n)}));
            cases.add(new Case("mul " + n, OpCode.MUL, new Object[] {x, TinyModels.random(r, 1, n)}));
            cases.add(new Case("scale " + n, OpCode.SCALE, new Object[] {x, 0.5f}));
            cases.add(new Case("silu " + n, OpCode.SILU, new Object[] {x}));
            cases.add(new Case("gelu " + n, OpCode.GELU, new Object[] {x}));
            cases.add(new Case("softmax " + n, OpCode.SOFTMAX, new Object[] {x}));
            cases.add(new Case("reduce " + n, OpCode.REDUCE, new Object[] {Reduction.ABS_MAX, x, 1}));
            cases.add(new Case("reduce last " + n, OpCode.REDUCE, new Object[] {Reduction.SUM, x, -1}));
            cases.add(new Case("convert " + n, OpCode.CONVERT, new Object[] {x, DType.BF16}));
            cases.add(new Case("reshape " + n, OpCode.RESHAPE, new Object[] {x, new long[] {6, -1}}));
            cases.add(new Case("reshape transposed " + n, OpCode.RESHAPE, new Object[] {x.transpose(0, 2), new long[] {-1}}));
            cases.add(new Case("transpose " + n, OpCode.TRANSPOSE, new Object[] {x, 0, 2}));
            cases.add(new Case("contiguous " + n, OpCode.CONTIGUOUS, new Object[] {x}));
            cases.add(new Case("contiguous transposed " + n, OpCode.CONTIGUOUS, new Object[] {x.transpose(1, 2)}));
            cases.add(new Case("narrow " + n, OpCode.NARROW, new Object[] {x, 2, 0L, (long) n}));
            cases.add(new Case("narrow middle " + n, OpCode.NARROW, new Object[] {x, 1, 1L, 2L}));
            cases.add(new Case("select " + n, OpCode.SELECT, new Object[] {x, 1, 2L}));
            Tensor ids = TinyModels.tokens(r, 5, 2, n);
            cases.add(new Case("embedding " + n, OpCode.EMBEDDING, new Object[] {ids, TinyModels.random(r, 1, 5, 4)}));
        }
        Tensor q = TinyModels.random(r, 1, 2, 3, 4, 6), k = TinyModels.random(r, 1, 2, 3, 2, 6);
        cases.add(new Case("rope", OpCode.ROPE, new Object[] {q, TinyModels.random(r, 1, 2, 3, 6), TinyModels.random(r, 1, 2, 3, 6)}));
        cases.add(new Case("attention", OpCode.ATTENTION, new Object[] {q, k, TinyModels.random(r, 1, 2, 3, 2, 6), TinyModels.mask(2, 3, 1), 0.4f, 0, 0f, null}));
        cases.add(new Case("attention no mask", OpCode.ATTENTION, new Object[] {q, k, k, null, 0.4f, 0, 0f, null}));
        cases.add(new Case("attention window softcap", OpCode.ATTENTION, new Object[] {q, k, k, null, 0.4f, 2, 30f, TinyModels.random(r, 1, 4)}));
        cases.add(new Case("softcap", OpCode.SOFTCAP, new Object[] {q, 30f}));
        cases.add(new Case("clamped swiglu", OpCode.CLAMPED_SWIGLU, new Object[] {q, q, 1.702f, 7f}));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inferredMetadataMatchesTheRealResult(Case c) {
        Tensor real = OPS.invoke(c.op(), c.args());
        Tensor inferred = ShapeInference.resultOf(c.op(), c.args(), "tag");
        assertTrue(inferred.isSymbolic());
        assertEquals("tag", inferred.traceTag());
        assertEquals(real.dtype(), inferred.dtype(), c.label());
        assertEquals(real.shape(), inferred.shape(), c.label());
        assertArrayEquals(real.strides(), inferred.strides(), c.label());
        assertEquals(real.offset(), inferred.offset(), c.label());
    }

    @Test
    void everyOpCodeIsCovered() {
        Set<OpCode> covered = EnumSet.noneOf(OpCode.class);
        cases().forEach(c -> covered.add(c.op()));
        assertEquals(EnumSet.allOf(OpCode.class), covered);
    }

    @Test
    void mismatchesNameTheOpAndShapes() {
        Random r = new Random(1);
        var e = assertThrows(IllegalArgumentException.class, () -> ShapeInference.resultOf(OpCode.LINEAR,
                new Object[] {TinyModels.random(r, 1, 2, 4), TinyModels.random(r, 1, 3, 5), null}, "t"));
        assertEquals("LINEAR: weight [3, 5] does not match input [2, 4] (expected [out, 4])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapeInference.resultOf(OpCode.ADD,
                new Object[] {TinyModels.random(r, 1, 2, 4), TinyModels.random(r, 1, 3)}, "t"));
        assertEquals("ADD: shape [3] does not broadcast to [2, 4] (it must be a suffix)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapeInference.resultOf(OpCode.EMBEDDING,
                new Object[] {TinyModels.random(r, 1, 2), TinyModels.random(r, 1, 3, 4)}, "t"));
        assertEquals("EMBEDDING: ids must have an integer dtype, got F32", e.getMessage());
    }
}
