package io.llmc4j.engine.ops;

import static io.llmc4j.engine.ops.KernelAssertions.assertSameBits;
import static io.llmc4j.engine.ops.KernelAssertions.normal;

import io.llmc4j.engine.ops.gemm.Gemm;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kernels give the same bits whether operands live on the heap (typed arrays, read in place),
 * in native memory (staged through arrays) or in a heap segment of a mismatched array type.
 */
class MemoryKindTest {
    private static final long SEED = 99;
    private static Parallel parallel;
    private static VectorKernels kernels;
    private static Arena arena;

    @BeforeAll
    static void start() {
        parallel = new Parallel(2);
        kernels = new VectorKernels(parallel);
        arena = Arena.ofShared();
    }

    @AfterAll
    static void stop() {
        parallel.close();
        arena.close();
    }

    private static Tensor nativeCopy(Tensor t) {
        return t.copyInto(arena);
    }

    /** The same bytes in a heap segment backed by a long[] (not the dtype's own array type). */
    private static Tensor longBacked(Tensor t) {
        long bytes = t.byteSize();
        MemorySegment segment = MemorySegment.ofArray(new long[(int) ((bytes + 7) / 8)]).asSlice(0, bytes);
        MemorySegment.copy(t.segment(), t.byteOffset(), segment, 0, bytes);
        return Tensor.wrap(segment, t.dtype(), t.shape().toArray());
    }

    private static void sameEverywhere(String what, Tensor[] inputs, Function<Tensor[], Tensor> op) {
        Tensor heap = op.apply(inputs);
        Tensor[] natives = new Tensor[inputs.length], odd = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            natives[i] = nativeCopy(inputs[i]);
            odd[i] = longBacked(inputs[i]);
        }
        assertSameBits(op.apply(natives), heap, what + " native (seed " + SEED + ")");
        assertSameBits(op.apply(odd), heap, what + " long[]-backed (seed " + SEED + ")");
    }

    @Test
    void everyOpIgnoresWhereItsOperandsLive() {
        Random random = new Random(SEED);
        Tensor x = normal(random, DType.F32, 37, 259), w = normal(random, DType.BF16, 65, 259), wF16 = normal(random, DType.F16, 3, 259);
        Tensor norm = normal(random, DType.BF16, 259), row = normal(random, DType.F32, 259);
        sameEverywhere("linear", new Tensor[] {x, w}, t -> kernels.linear(t[0], t[1], null));
        sameEverywhere("linear few rows", new Tensor[] {x.narrow(0, 0, 2).contiguous(), wF16}, t -> kernels.linear(t[0], t[1], null));
        sameEverywhere("matmul", new Tensor[] {x, w.transpose(0, 1).contiguous()}, t -> kernels.matmul(t[0], t[1]));
        sameEverywhere("rmsNorm", new Tensor[] {x, norm}, t -> kernels.rmsNorm(t[0], t[1], 1e-6f));
        sameEverywhere("softmax", new Tensor[] {x}, t -> kernels.softmax(t[0]));
        sameEverywhere("add", new Tensor[] {x, row}, t -> kernels.add(t[0], t[1]));
        sameEverywhere("gelu", new Tensor[] {w}, t -> kernels.gelu(t[0]));
        sameEverywhere("sum", new Tensor[] {w}, t -> kernels.reduce(Reduction.SUM, t[0], 1));
        sameEverywhere("abs-max", new Tensor[] {w}, t -> kernels.reduce(Reduction.ABS_MAX, t[0], 0));
        sameEverywhere("convert", new Tensor[] {x}, t -> kernels.convert(t[0], DType.BF16).to(DType.F32));
        sameEverywhere("embedding", new Tensor[] {w}, t -> kernels.embedding(Tensor.ofLongs(new long[] {3, 64, 0}, 3), t[0]));
        Tensor q = normal(random, DType.F32, 1, 9, 2, 16), kv = normal(random, DType.F32, 1, 9, 1, 16);
        sameEverywhere("attention", new Tensor[] {q, kv}, t -> kernels.attention(t[0], t[1], t[1], null, 0.25f));
    }

    @Test
    void linearIntoALargeNativeOutputIsWrittenBandByBand() {
        Random random = new Random(SEED + 1);
        Tensor x = normal(random, DType.F32, 4100, 3), w = normal(random, DType.BF16, 4100, 3);   // 16.8 M outputs > one staged band
        Tensor out = Tensor.allocate(arena, DType.F32, 4100, 4100);
        Gemm.linearInto(x, w, null, out, parallel);
        assertSameBits(out, kernels.linear(x, w, null), "native output (seed " + (SEED + 1) + ")");
    }
}
