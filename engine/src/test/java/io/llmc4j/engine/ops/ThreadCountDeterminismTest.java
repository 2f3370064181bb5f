package io.llmc4j.engine.ops;

import static io.llmc4j.engine.ops.KernelAssertions.assertSameBits;
import static io.llmc4j.engine.ops.KernelAssertions.normal;

import io.llmc4j.engine.ops.accel.CpuAccelerator;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kernel gives the same raw float bits on 1 and on 4 threads. Sizes are chosen so that each
 * op is cut into several tasks (and reductions into several chunks per row).
 */
class ThreadCountDeterminismTest {
    private static final long SEED = 4242;
    private static Parallel one;
    private static Parallel four;

    @BeforeAll
    static void start() {
        one = new Parallel(1);
        four = new Parallel(4);
    }

    @AfterAll
    static void stop() {
        one.close();
        four.close();
    }

    private static void sameOnOneAndFourThreads(String what, Function<Kernels, Tensor> op) {
        assertSameBits(op.apply(new VectorKernels(four)), op.apply(new VectorKernels(one)), what + " (seed " + SEED + ")");
    }

    @Test
    void gemmIsThreadCountIndependent() {
        Random random = new Random(SEED);
        Tensor x = normal(random, DType.F32, 200, 2300), w = normal(random, DType.BF16, 257, 2300), bias = normal(random, DType.F32, 257);
        sameOnOneAndFourThreads("linear", k -> k.linear(x, w, bias));
        Tensor few = normal(random, DType.F32, 7, 2300);
        sameOnOneAndFourThreads("linear, few rows", k -> k.linear(few, w, null));
        Tensor b = normal(random, DType.F16, 2300, 130);
        sameOnOneAndFourThreads("matmul", k -> k.matmul(x, b));
    }

    @Test
    void elementwiseAndNormsAreThreadCountIndependent() {
        Random random = new Random(SEED + 1);
        Tensor x = normal(random, DType.F32, 300, 1031), row = normal(random, DType.F32, 1031), weight = normal(random, DType.BF16, 1031);
        sameOnOneAndFourThreads("add", k -> k.add(x, row));
        sameOnOneAndFourThreads("mul", k -> k.mul(x, x));
        sameOnOneAndFourThreads("scale", k -> k.scale(x, 3f));
        sameOnOneAndFourThreads("silu", k -> k.silu(x));
        sameOnOneAndFourThreads("gelu", k -> k.gelu(x));
        sameOnOneAndFourThreads("softmax", k -> k.softmax(x));
        sameOnOneAndFourThreads("rmsNorm", k -> k.rmsNorm(x, weight, 1e-5f));
        Tensor large = normal(random, DType.F32, 1100, 1031);
        sameOnOneAndFourThreads("rmsNorm, pipelined", k -> k.rmsNorm(large, weight, 1e-5f));
        sameOnOneAndFourThreads("convert", k -> k.convert(x, DType.BF16).to(DType.F32));
    }

    @Test
    void attentionRopeAndGatherAreThreadCountIndependent() {
        Random random = new Random(SEED + 2);
        Tensor q = normal(random, DType.F32, 2, 150, 4, 32), kv = normal(random, DType.F32, 2, 150, 2, 32);
        Tensor cos = normal(random, DType.F32, 2, 150, 32), sin = normal(random, DType.F32, 2, 150, 32);
        sameOnOneAndFourThreads("rope", k -> k.rope(q, cos, sin));
        sameOnOneAndFourThreads("attention", k -> k.attention(q, kv, kv, null, 0.17f));
        Tensor table = normal(random, DType.BF16, 500, 64);
        long[] ids = new long[1000];
        for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(500);
        Tensor tokens = Tensor.ofLongs(ids, 10, 100);
        sameOnOneAndFourThreads("embedding", k -> k.embedding(tokens, table));
    }

    @Test
    void reductionsAreThreadCountIndependent() {
        Random random = new Random(SEED + 3);
        Tensor longRows = normal(random, DType.F32, 3, 70000), columns = normal(random, DType.BF16, 600, 3000);
        for (Reduction reduction : Reduction.values()) {
            sameOnOneAndFourThreads(reduction + " of long rows", k -> k.reduce(reduction, longRows, 1));
            sameOnOneAndFourThreads(reduction + " over axis 0", k -> k.reduce(reduction, columns, 0));
        }
    }

    @Test
    void acceleratorIsThreadCountIndependent() {
        Random random = new Random(SEED + 4);
        Tensor a = normal(random, DType.F32, 3, 70, 300), b = normal(random, DType.F32, 3, 300, 90);
        try (CpuAccelerator single = new CpuAccelerator(one); CpuAccelerator multi = new CpuAccelerator(four)) {
            assertSameBits(multi.batchedMatmul(a, b), single.batchedMatmul(a, b), "batched matmul (seed " + SEED + ")");
            assertSameBits(multi.reduce(Reduction.ABS_MAX, a, 2), single.reduce(Reduction.ABS_MAX, a, 2), "abs-max");
        }
    }
}
