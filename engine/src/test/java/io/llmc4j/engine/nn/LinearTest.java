package io.llmc4j.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmc4j.engine.ops.Ops;
import io.llmc4j.engine.ops.ReferenceKernels;
import io.llmc4j.engine.tensor.DType;
import io.llmc4j.engine.tensor.Tensor;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LinearTest {
    private static final Ops OPS = new Ops(new ReferenceKernels());

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int in : new int[] {1, 3, 7, 31, 33})
            for (int out : new int[] {1, 7, 33})
                for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16})
                    b.add(Arguments.of(in, out, dtype, (in + out) % 2 == 0));
        return b.build();
    }

    static Tensor random(Random random, DType dtype, long... dims) {
        Tensor t = Tensor.allocate(dtype, dims);
        for (long i = 0; i < t.elementCount(); i++) t.setFlat(i, random.nextGaussian());
        return t;
    }

    @ParameterizedTest(name = "in {0}, out {1}, {2}, bias {3}")
    @MethodSource("cases")
    void forwardMatchesNaiveDoubleReference(int in, int out, DType dtype, boolean withBias) {
        long seed = 31L * in + 7L * out + dtype.ordinal();
        Random random = new Random(seed);
        Tensor weight = random(random, dtype, out, in);
        Tensor bias = withBias ? random(random, dtype, out) : null;
        Tensor x = random(random, DType.F32, 2, 3, in);
        Tensor y = new Linear(OPS, weight, bias).call(x);
        assertArrayEquals(new long[] {2, 3, out}, y.shape().toArray());
        for (int r = 0; r < 6; r++)
            for (int o = 0; o < out; o++) {
                double expected = withBias ? bias.getDouble(o) : 0, scale = Math.abs(expected);
                for (int i = 0; i < in; i++) {
                    double term = x.getDouble(r / 3, r % 3, i) * weight.getDouble(o, i);
                    expected += term;
                    scale += Math.abs(term);
                }
                double actual = y.getDouble(r / 3, r % 3, o);
                double tolerance = 1e-6 * (scale + 1);
                assertTrue(Math.abs(actual - expected) <= tolerance, "row " + r + " out " + o + ": " + actual + " vs " + expected + " (seed " + seed + ")");
            }
    }

    @Test
    void readsTheWeightAtEveryForward() {
        Linear linear = new Linear(OPS, Tensor.of(new float[] {1, 0, 0, 1}, 2, 2), null);
        Tensor x = Tensor.of(new float[] {3, 4}, 1, 2);
        assertArrayEquals(new float[] {3, 4}, linear.call(x).toFloatArray());
        linear.setParameter("weight", Tensor.of(new float[] {0, 1, 1, 0}, 2, 2));
        assertArrayEquals(new float[] {4, 3}, linear.call(x).toFloatArray());
        linear.setParameter("bias", Tensor.of(10, 20));
        assertArrayEquals(new float[] {14, 23}, linear.call(x).toFloatArray());
        assertEquals(2, linear.inFeatures());
        assertEquals(2, linear.outFeatures());
        assertEquals("Linear", linear.typeName());
    }

    @Test
    void rejectsMalformedParametersAndInputs() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Linear(OPS, Tensor.allocate(DType.F32, 4), null));
        assertTrue(e.getMessage().contains("[out, in]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Linear(OPS, Tensor.allocate(DType.F32, 2, 3), Tensor.allocate(DType.F32, 3)));
        Linear linear = new Linear(OPS, Tensor.allocate(DType.F32, 2, 3), null);
        assertThrows(IllegalArgumentException.class, () -> linear.call(Tensor.allocate(DType.F32, 1, 3), Tensor.allocate(DType.F32, 1, 3)));
    }

    @Test
    void embeddingLooksUpRows() {
        Tensor table = Tensor.of(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
        Tensor out = new Embedding(OPS, table).call(Tensor.ofLongs(new long[] {2, 0, 1}, 1, 3));
        assertArrayEquals(new long[] {1, 3, 2}, out.shape().toArray());
        assertArrayEquals(new float[] {20, 21, 0, 1, 10, 11}, out.toFloatArray());
    }

    @Test
    void rmsNormNormalisesTheLastAxis() {
        RMSNorm norm = new RMSNorm(OPS, "LlamaRMSNorm", Tensor.of(1f, 2f), 1e-6f);
        float[] out = norm.call(Tensor.of(new float[] {3, 4}, 1, 2)).toFloatArray();
        double rms = Math.sqrt((9 + 16) / 2.0 + 1e-6);
        assertEquals(3 / rms, out[0], 1e-6);
        assertEquals(2 * 4 / rms, out[1], 1e-6);
        assertEquals("LlamaRMSNorm", norm.typeName());
        assertThrows(IllegalArgumentException.class, () -> new RMSNorm(OPS, "LlamaRMSNorm", Tensor.of(1f), 0f));
    }
}
