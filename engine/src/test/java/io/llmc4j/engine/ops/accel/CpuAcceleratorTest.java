package io.llmc4j.engine.ops.accel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.ops.Reduction;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CpuAcceleratorTest {
    private static final long SEED = 77;
    private final ReferenceKernels reference = new ReferenceKernels();

    private static Tensor normal(Random random, long... dims) {
        Tensor t = Tensor.allocate(DType.F32, dims);
        for (long i = 0; i < t.elementCount(); i++) t.setFlat(i, random.nextGaussian());
        return t;
    }

    @Test
    void batchedMatmulEqualsOneMatmulPerBatch() {
        Random random = new Random(SEED);
        Tensor a = normal(random, 2, 3, 9, 33), b = normal(random, 2, 3, 33, 31), shared = normal(random, 33, 5);
        try (CpuAccelerator cpu = CpuAccelerator.withThreads(2)) {
            assertEquals("cpu", cpu.name());
            Tensor c = cpu.batchedMatmul(a, b), d = cpu.batchedMatmul(a, shared);
            assertArrayEquals(new long[] {2, 3, 9, 31}, c.shape().toArray());
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++) {
                    float[] want = cpu.matmul(a.select(0, i).select(0, j), b.select(0, i).select(0, j)).toFloatArray();
                    assertArrayEquals(want, c.select(0, i).select(0, j).contiguous().toFloatArray(), "batch " + i + "," + j + " seed " + SEED);
                    float[] wantShared = cpu.matmul(a.select(0, i).select(0, j), shared).toFloatArray();
                    assertArrayEquals(wantShared, d.select(0, i).select(0, j).contiguous().toFloatArray(), "shared b, batch " + i + "," + j);
                }
            assertThrows(IllegalArgumentException.class, () -> cpu.batchedMatmul(a, normal(random, 2, 2, 33, 31)));
        }
    }

    @Test
    void linearAndReductionsMatchTheReference() {
        Random random = new Random(SEED + 1);
        Tensor x = normal(random, 7, 65), w = normal(random, 9, 65).to(DType.BF16);
        try (CpuAccelerator cpu = CpuAccelerator.withThreads(3)) {
            float[] got = cpu.linear(x, w, null).toFloatArray(), want = reference.linear(x, w, null).toFloatArray();
            for (int i = 0; i < got.length; i++) assertTrue(Math.abs(got[i] - want[i]) < 1e-4, "linear element " + i + " seed " + (SEED + 1));
            for (Reduction reduction : new Reduction[] {Reduction.MIN, Reduction.MAX, Reduction.ABS_MAX})
                for (int axis = 0; axis < 2; axis++)
                    assertArrayEquals(reference.reduce(reduction, w, axis).toFloatArray(), cpu.reduce(reduction, w, axis).toFloatArray(), reduction + " axis " + axis);
        }
    }

    @Test
    void gramUpdateMatchesAPlainTripleLoop() {
        Random random = new Random(SEED + 2);
        Tensor x = normal(random, 2, 37, 19).to(DType.BF16), h = normal(random, 19, 19);
        float[] start = h.toFloatArray(), xs = x.toFloatArray();
        try (CpuAccelerator cpu = CpuAccelerator.withThreads(2)) {
            cpu.gramUpdate(x, h, 0.5f, 0.25f);
            for (int i = 0; i < 19; i++)
                for (int j = 0; j < 19; j++) {
                    double sum = 0, bound = 0;
                    for (int t = 0; t < 74; t++) {
                        sum += (double) xs[t * 19 + i] * xs[t * 19 + j];
                        bound += Math.abs((double) xs[t * 19 + i] * xs[t * 19 + j]);
                    }
                    double want = 0.5 * start[i * 19 + j] + 0.25 * sum;
                    assertTrue(Math.abs(h.getFloat(i, j) - want) <= 1e-5 * (0.5 * Math.abs(start[i * 19 + j]) + 0.25 * bound), "H[" + i + "," + j + "]");
                }
            assertThrows(IllegalArgumentException.class, () -> cpu.gramUpdate(x, Tensor.allocate(DType.F32, 19, 18), 1, 1));
            assertThrows(IllegalArgumentException.class, () -> cpu.gramUpdate(x, Tensor.allocate(DType.BF16, 19, 19), 1, 1));
        }
    }
}
