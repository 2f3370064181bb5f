package io.llmc4j.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Random;

/** Random inputs and comparisons shared by the kernel tests. */
final class KernelAssertions {
    private KernelAssertions() {
    }

    /** A contiguous tensor of standard normal values, stored in {@code dtype}. */
    static Tensor normal(Random random, DType dtype, long... dims) {
        Tensor t = Tensor.allocate(DType.F32, dims);
        for (long i = 0; i < t.elementCount(); i++) t.setFlat(i, random.nextGaussian());
        return dtype == DType.F32 ? t : t.to(dtype);
    }

    /** |x| elementwise, as F32. */
    static Tensor abs(Tensor x) {
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);
        return Tensor.of(v, x.shape().toArray());
    }

    /**
     * Asserts |got − want| ≤ relative·bound + absolute element by element, where bound is a
     * per-element magnitude (e.g. Σ|aᵢ·bᵢ| for dot products).
     */
    static void assertClose(Tensor got, Tensor want, Tensor bound, double relative, double absolute, String what) {
        assertEquals(want.shape(), got.shape(), what + ": shape");
        assertEquals(DType.F32, got.dtype(), what + ": dtype");
        float[] g = got.toFloatArray(), w = want.toFloatArray(), b = bound == null ? null : bound.toFloatArray();
        for (int i = 0; i < g.length; i++) {
            double limit = relative * (b == null ? Math.abs(w[i]) : b[i]) + absolute;
            if (Float.isNaN(w[i]) != Float.isNaN(g[i]) || Math.abs(g[i] - w[i]) > limit)
                fail(what + ": element " + i + " is " + g[i] + ", reference " + w[i] + " (allowed error " + limit + ")");
        }
    }

    /** Asserts identical raw float bits. */
    static void assertSameBits(Tensor got, Tensor want, String what) {
        assertEquals(want.shape(), got.shape(), what + ": shape");
        float[] g = got.toFloatArray(), w = want.toFloatArray();
        int[] gb = new int[g.length], wb = new int[w.length];
        for (int i = 0; i < g.length; i++) {
            gb[i] = Float.floatToRawIntBits(g[i]);
            wb[i] = Float.floatToRawIntBits(w[i]);
        }
        assertArrayEquals(wb, gb, what);
    }
}
